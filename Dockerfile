# Production image: compiled JavaScript on Node 20, production dependencies only (no tsx, no
# TypeScript). Build: docker build -t switchboard .   Run: docker run --env-file .env -p 3000:3000 switchboard
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN MONGOMS_DISABLE_POSTINSTALL=1 npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The embedded store's default DATA_DIR (./data), writable by the user the process runs as.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# /healthz answers as soon as HTTP listens, before any platform is reached (node: the slim image has no curl).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the shutdown: 10 s to finish, forced after 15 s; give it 20 s (docker stop -t 20, compose stop_grace_period).
STOPSIGNAL SIGTERM
# the same Node flags as `npm run start:prod` (package.json)
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
