import { anApiGatewayEvent } from '../../../../support/api-gateway';
import { platformEnv, setEnv } from '../../../../support/env';
import { aLambdaContext } from '../../../../support/lambda-context';


setEnv(platformEnv);
const { handler } = require('../../../../../functions/operations/handlers/get-openapi') as typeof import('../../../../../functions/operations/handlers/get-openapi');

describe('GET /openapi.json', () => {
  it('serves the document of every capability route, the same one on every call', async () => {
    const first = await handler(anApiGatewayEvent({ path: '/openapi.json' }), aLambdaContext());
    const second = await handler(anApiGatewayEvent({ path: '/openapi.json' }), aLambdaContext());

    expect(first.statusCode).toBe(200);
    expect(first.headers).toMatchObject({ 'content-type': 'application/json' });
    const document = JSON.parse(first.body);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/openapi.json', '/products']));
    expect(second.body).toBe(first.body);
  });
});
