# syntax=docker/dockerfile:1
# One image per service from one Dockerfile:
#   docker build --build-arg SERVICE=order -t 12street-order .
# SERVICE is one of the folders under services/ (order, payment, delivery, marketing, order-status,
# identity, gateway). Node 24 runs the TypeScript sources directly, so there is no build step: the
# image holds the production dependencies, the shared packages and the one service.
ARG NODE_IMAGE=node:24-slim

# Only the package manifests, with their paths, so that the dependency layer below is rebuilt only
# when a manifest or the lockfile changes, not on every source edit.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /context
COPY . .
RUN mkdir /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /manifests/ \; \
 && cp package-lock.json /manifests/

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund
COPY packages/ ./packages/
COPY deploy/docker/healthcheck.ts ./deploy/docker/healthcheck.ts
ARG SERVICE
COPY services/${SERVICE}/ ./services/${SERVICE}/
# Keep the chosen service; the other workspaces were only needed for npm ci to match the lockfile.
RUN test -n "${SERVICE}" && test -f "services/${SERVICE}/src/main.ts" \
      || { echo "build with --build-arg SERVICE=<one of: $(ls services | tr '\n' ' ')>" >&2; exit 1; } \
 && find services -mindepth 1 -maxdepth 1 ! -name "${SERVICE}" -exec rm -rf {} + \
 && rm -rf apps packages/testkit packages/*/test

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
# Owned by root and not writable by the user the service runs as.
COPY --from=build /app/ ./
# uid 1000 is the node user of the official image; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "/app/deploy/docker/healthcheck.ts", "/health/live"]
# exec: node replaces the shell and is PID 1, so SIGTERM reaches the service's graceful shutdown.
CMD ["/bin/sh", "-c", "exec node services/${SERVICE}/src/main.ts"]
