import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The API's description, built from the controllers and DTOs (the Nest CLI's swagger plugin reads their types). */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Signalbox')
    .setDescription(
      'Receives PostHog events, drops duplicates, maps them to actions and runs workflows. Every `/v1` route ' +
        'needs `Authorization: Bearer <key>`: the admin key, or a key scoped to one environment (`/v1/api-keys`). ' +
        'Lists take `limit` (1–200) and `cursor` and answer ' +
        '`{ data, next_cursor }`. Errors answer `{ error: { code, message, details }, request_id }`.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'The admin API key, or a scoped one (sbk_…)',
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the description at /docs-json and Swagger UI at /docs. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
  });
}
