import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Every route states who may call it. A route without a declaration is refused at start-up:
 * deny by default is enforced by construction, not by review.
 */
export type RouteAccess = { public: true; why: string } | { permission: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

// Routes registered by the API documentation plugin are public by nature.
const PLUGIN_ROUTE_PREFIXES: Array<[string, string]> = [['/api/docs', 'API documentation']];

export type DeclaredRoute = { method: string; url: string; access: RouteAccess };

export function enforceRouteAccessDeclarations(app: FastifyInstance, registry: DeclaredRoute[]): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as { access?: RouteAccess };
    let access = config.access;
    if (!access) {
      const plugin = PLUGIN_ROUTE_PREFIXES.find(([prefix]) => route.url.startsWith(prefix));
      if (!plugin)
        throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
      access = { public: true, why: plugin[1] };
      route.config = { ...config, access };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) registry.push({ method: String(method), url: route.url, access });
  });
}
