import { checkTemplate, renderStrings, renderTemplate, TemplateError } from './templates';

describe('templates', () => {
  it('render over the given scope with filters', () => {
    expect(
      renderTemplate('{{ body.name | upcase }} on {{ body.plan | default: "free" }}', {
        body: { name: 'ada' },
      }),
    ).toBe('ADA on free');
  });

  it.each([
    '{% include "/etc/passwd" %}',
    '{% render "../../../etc/hostname" %}',
    '{% layout "/etc/hostname" %}x',
  ])('never read files from disk, and are refused when checked: %s', (source) => {
    expect(() => checkTemplate(source)).toThrow(/tag is not available/);
    expect(() => renderTemplate(source, {})).toThrow(TemplateError);
  });

  it('refuse unknown filters, broken syntax and overlong sources when checked', () => {
    expect(() => checkTemplate('{{ x | shell }}')).toThrow(/invalid template/);
    expect(() => checkTemplate('{% for x in y %}')).toThrow(/invalid template/);
    expect(() => checkTemplate('x'.repeat(2001))).toThrow(/longer than 2000/);
    expect(() => checkTemplate('{{ x }}')).not.toThrow();
  });

  it('cap the work a template may do', () => {
    const loops =
      '{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}';
    expect(() => renderTemplate(loops, {})).toThrow(TemplateError);
  });

  it('render every string inside a structure, leaving keys and other values alone', () => {
    const scope = { user: { name: 'Ada' } };
    expect(
      renderStrings({ '{{ user.name }}': ['hi {{ user.name }}', 3, null, { ok: true }] }, scope),
    ).toEqual({
      '{{ user.name }}': ['hi Ada', 3, null, { ok: true }],
    });
    expect(renderStrings('{{ user.name }}', scope)).toBe('Ada');
  });
});
