import { HostSlots } from './host-slots';

describe('HostSlots', () => {
  it('gives each host its share, independently of other hosts', () => {
    const slots = new HostSlots(2);
    expect(slots.take('slow.example.com')).toBe(true);
    expect(slots.take('slow.example.com')).toBe(true);
    expect(slots.take('slow.example.com')).toBe(false);
    expect(slots.take('fast.example.com')).toBe(true);
    expect(slots.take('slow.example.com:8443')).toBe(true);
  });

  it('frees a slot when a request ends', () => {
    const slots = new HostSlots(1);
    expect(slots.take('a')).toBe(true);
    expect(slots.take('a')).toBe(false);
    slots.give('a');
    expect(slots.take('a')).toBe(true);
  });
});
