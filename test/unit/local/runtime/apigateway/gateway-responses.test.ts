import {
  GatewayError,
  integrationFailure,
  renderGatewayResponse,
  type GatewayResponseDefinition,
  type GatewayResponseRequest,
} from '../../../../../local/runtime/apigateway/gateway-responses';

const request: GatewayResponseRequest = {
  context: { requestId: 'req-1', extendedRequestId: 'ext-1', stage: 'v1' },
  headers: { origin: 'https://shop.example', 'x-trace': ['a', 'b'] },
  query: { lang: 'bn' },
  pathParameters: { orderId: 'ord-1' },
};
const throttled = new GatewayError('THROTTLED', 'Too Many Requests', 'TooManyRequestsException');
const envelope = '{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"requestId":"${context.requestId}"}}';

describe('renderGatewayResponse', () => {
  it("uses AWS's default body and the type's default status when the API customizes nothing", () => {
    expect(renderGatewayResponse(throttled, [], request)).toEqual({
      statusCode: 429,
      headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException' },
      body: '{"message":"Too Many Requests"}',
    });
  });

  it('prefers the gateway response of the specific type over DEFAULT_4XX', () => {
    const definitions: GatewayResponseDefinition[] = [
      { responseType: 'DEFAULT_4XX', responseTemplates: { 'application/json': '{"from":"default"}' } },
      { responseType: 'THROTTLED', responseTemplates: { 'application/json': envelope } },
    ];
    expect(JSON.parse(renderGatewayResponse(throttled, definitions, request).body)).toEqual({
      error: { code: 'THROTTLED', message: 'Too Many Requests', requestId: 'req-1' },
    });
  });

  it('lets an undefined type inherit DEFAULT_4XX, including its status code', () => {
    const definitions: GatewayResponseDefinition[] = [
      {
        responseType: 'DEFAULT_4XX',
        statusCode: '400',
        responseTemplates: { 'application/json': envelope },
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin' },
      },
    ];
    const rendered = renderGatewayResponse(throttled, definitions, request);
    expect(rendered.statusCode).toBe(400);
    expect(rendered.headers['Access-Control-Allow-Origin']).toBe('https://shop.example');
    expect(JSON.parse(rendered.body).error.code).toBe('THROTTLED');
  });

  it('keeps 5XX errors on DEFAULT_5XX and out of DEFAULT_4XX', () => {
    const definitions: GatewayResponseDefinition[] = [
      { responseType: 'DEFAULT_4XX', responseTemplates: { 'application/json': '{"class":"4xx"}' } },
      { responseType: 'DEFAULT_5XX', responseTemplates: { 'application/json': '{"class":"5xx"}' } },
    ];
    const rendered = renderGatewayResponse(integrationFailure(), definitions, request);
    expect(rendered).toMatchObject({ statusCode: 502, body: '{"class":"5xx"}' });
  });

  it('applies static, header, query, path and context response parameters', () => {
    const definitions: GatewayResponseDefinition[] = [
      {
        responseType: 'THROTTLED',
        statusCode: '503',
        responseParameters: {
          'gatewayresponse.header.Retry-After': "'1'",
          'gatewayresponse.header.X-Trace': 'method.request.header.x-trace',
          'gatewayresponse.header.X-Lang': 'method.request.querystring.lang',
          'gatewayresponse.header.X-Order': 'method.request.path.orderId',
          'gatewayresponse.header.X-Request-Id': 'context.requestId',
          'gatewayresponse.header.X-Absent': 'method.request.header.x-absent',
        },
      },
    ];
    const rendered = renderGatewayResponse(throttled, definitions, request);
    expect(rendered.statusCode).toBe(503);
    expect(rendered.headers).toEqual({
      'Content-Type': 'application/json',
      'x-amzn-ErrorType': 'TooManyRequestsException',
      'Retry-After': '1',
      'X-Trace': 'a,b',
      'X-Lang': 'bn',
      'X-Order': 'ord-1',
      'X-Request-Id': 'req-1',
    });
  });

  it('quotes and escapes $context.error.messageString as a JSON string, and leaves unknown references as written', () => {
    const error = new GatewayError('INVALID_SIGNATURE', 'Signature "x" expired');
    const definitions: GatewayResponseDefinition[] = [
      { responseType: 'INVALID_SIGNATURE', responseTemplates: { 'application/json': '{"m":$context.error.messageString,"u":"$context.nope","q":"$!context.nope"}' } },
    ];
    expect(JSON.parse(renderGatewayResponse(error, definitions, request).body)).toEqual({
      m: 'Signature "x" expired',
      u: '$context.nope',
      q: '',
    });
  });
});
