# Jineng bot image. `docker compose up` builds it and wires it to PostgreSQL and Redis (docker-compose.yml).
FROM node:20-slim

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. npm ci's postinstall runs
# `prisma generate`, which needs the schema, the config and the wrapper script.
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --omit=dev && npm cache clean --force

COPY . .
RUN chown -R node:node /app
USER node

# Only used when DATABASE_URL is empty (embedded PostgreSQL); compose sets DATABASE_URL.
ENV DATA_DIR=/app/.data \
    START_TERMINAL_CHAT=false

# node itself is the container's main process (PID 1), so `docker stop`'s SIGTERM reaches the bot and it finishes
# running work within SHUTDOWN_GRACE_MS. `npm start` in its place would not pass the signal on.
CMD ["node", "bin/jineng.js", "start"]
