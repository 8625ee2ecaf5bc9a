import { createHash } from 'node:crypto';

/** One method of one resource of the REST API, integrated with a Lambda function (AWS_PROXY). */
export interface RestApiRoute {
  /** GET, POST, … or ANY. */
  httpMethod: string;
  /** '/products', '/orders/{orderId}', '/files/{proxy+}'. */
  resourcePath: string;
  functionName: string;
  apiKeyRequired: boolean;
  authorizationType: 'NONE' | 'AWS_IAM' | 'CUSTOM' | 'COGNITO_USER_POOLS';
}

export interface RouteMatch {
  route: RestApiRoute;
  resourceId: string;
  /** Still percent-encoded, as API Gateway REST APIs pass them; null when the resource has none. */
  pathParameters: Record<string, string> | null;
}

type Segment = { kind: 'static'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

/** Lower is more specific: API Gateway prefers a static segment to {param}, and {param} to {proxy+}. */
const RANK = { static: 0, param: 1, greedy: 2 } as const;

interface Resource {
  path: string;
  id: string;
  segments: Segment[];
  methods: Map<string, RestApiRoute>;
}

function parseResourcePath(resourcePath: string): Segment[] {
  return resourcePath
    .split('/')
    .filter(Boolean)
    .map((part): Segment => {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{(.+)\}$/.exec(part);
      return param ? { kind: 'param', name: param[1] } : { kind: 'static', text: part };
    });
}

/** Resource ids look like API Gateway's (short lowercase alphanumerics) and stay stable across restarts. */
function resourceIdOf(resourcePath: string): string {
  const digest = createHash('sha256').update(resourcePath).digest('hex');
  return BigInt(`0x${digest.slice(0, 12)}`).toString(36).slice(0, 6).padStart(6, '0');
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === 'greedy') {
      if (i >= parts.length) return undefined;
      params[segment.name] = parts.slice(i).join('/');
      return params;
    }
    if (i >= parts.length) return undefined;
    if (segment.kind === 'static' && segment.text !== parts[i]) return undefined;
    if (segment.kind === 'param') params[segment.name] = parts[i];
  }
  return segments.length === parts.length ? params : undefined;
}

function compareSpecificity(a: Resource, b: Resource): number {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i++) {
    const rankA = a.segments[i] ? RANK[a.segments[i].kind] : -1;
    const rankB = b.segments[i] ? RANK[b.segments[i].kind] : -1;
    if (rankA !== rankB) return rankA - rankB;
  }
  return 0;
}

/** Resolves requests to routes the way API Gateway does: the most specific resource first, then its method or ANY. */
export function createRouter(routes: readonly RestApiRoute[]) {
  const resources = new Map<string, Resource>();
  for (const route of routes) {
    let resource = resources.get(route.resourcePath);
    if (!resource) {
      const { resourcePath } = route;
      resource = { path: resourcePath, id: resourceIdOf(resourcePath), segments: parseResourcePath(resourcePath), methods: new Map() };
      resources.set(route.resourcePath, resource);
    }
    resource.methods.set(route.httpMethod.toUpperCase(), route);
  }
  const bySpecificity = [...resources.values()].sort(compareSpecificity);

  return {
    /** `path` is the raw request path after the stage, e.g. '/orders/o%2D1'; a trailing slash is ignored. */
    match(httpMethod: string, path: string): RouteMatch | undefined {
      const parts = path.split('/').filter(Boolean);
      for (const resource of bySpecificity) {
        const params = matchSegments(resource.segments, parts);
        if (!params) continue;
        const route = resource.methods.get(httpMethod.toUpperCase()) ?? resource.methods.get('ANY');
        if (!route) return undefined;
        return { route, resourceId: resource.id, pathParameters: Object.keys(params).length > 0 ? params : null };
      }
      return undefined;
    },
  };
}
