# syntax=docker/dockerfile:1
# The Parley relay as a container image: `parley relay` on Node 24, as the unprivileged `node` user.
# Build:  docker build -t parley-relay .
# Run:    docker run --rm -p 47000:47000/udp -p 47000:47000/tcp -p 9100:9100 parley-relay
# In Kubernetes with Agones: deploy/fleet.yaml (see docs/fleet.md).

# Build with every dependency (TypeScript and the type packages), install scripts off:
# the relay needs no native module, and the client's audio modules are not built for it.
FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY packages ./packages
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY server ./server
COPY electron ./electron
COPY cli ./cli
RUN npx tsc -p tsconfig.build.json

# Run with the production dependencies only.
FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY packages ./packages
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY --from=build /app/dist ./dist
USER node
# The relay's UDP port and, at the same number, its TCP fallback; then metrics and the health probes.
EXPOSE 47000/udp 47000/tcp 9100/tcp
# For plain Docker; Kubernetes ignores it and probes /healthz and /readyz itself (deploy/fleet.yaml).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9100/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Docker stops a container with SIGTERM, which drains the relay: give `docker stop` a --time above --drain-timeout.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/parley.js", "relay"]
CMD ["--port", "47000", "--metrics-port", "9100", "--metrics-host", "0.0.0.0", "--log-format", "json"]
