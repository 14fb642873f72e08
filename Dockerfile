# Chibo's production image. Node 24 runs the TypeScript sources directly (built-in type
# stripping: `node src/main.ts`), so there is no build step and no dev dependency in the
# image; the `node` devDependency that pins Node 24 for npm scripts is not needed here,
# the base image is Node 24 already.
#
#   docker build -t chibo .
#   docker run -e TELEGRAM_BOT_TOKEN=... -p 3000:3000 -v chibo-data:/data chibo
#
# Without DATABASE_URL the bot keeps its data in embedded PGlite under /data (the volume).

# --- Production dependencies only, from the lockfile ----------------------------------
FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- Runtime ---------------------------------------------------------------------------
FROM node:24-slim
ENV NODE_ENV=production DATA_DIR=/data PORT=3000
WORKDIR /app

# Code and dependencies stay owned by root: the app only reads them.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY handlers ./handlers
COPY migrations ./migrations
COPY locales ./locales

# Created and chowned before VOLUME, so a new volume starts out writable by `node`.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]

USER node
EXPOSE 3000

# The slim image has no curl; node's fetch does the same. /healthz answers 503 when the
# database does not respond.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"

CMD ["node", "src/main.ts"]
