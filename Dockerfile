# Tend's API and worker share one image; docker-compose.yml picks the entry point with `command`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY . .
RUN mkdir -p /data && chown node:node /data
USER node

CMD ["node", "--import", "tsx", "api/main.ts"]
