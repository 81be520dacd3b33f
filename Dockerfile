# Production image: compiled JavaScript on Node 20.
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
# The embedded store's data (when MONGODB_URI is unset): mount a volume here to keep it.
ENV DATA_DIR=/data
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
