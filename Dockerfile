# syntax=docker/dockerfile:1
# Build stage: compile TypeScript.
#
# `npm install` rather than `npm ci`: the lockfile was written against a registry mirror that
# lacks other platforms' optional binaries (e.g. @swc/core-darwin-arm64), so `npm ci` calls it
# out of sync (see .ci/run). With the lockfile present, `npm install` keeps every locked
# version and only resolves those missing optional entries.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY web ./web
RUN npm run build

# Runtime stage: production dependencies and the compiled service, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
USER node
EXPOSE 3000
# Liveness: the process answers. (Readiness, /health/ready, also needs the database; a load
# balancer should use that one.)
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
