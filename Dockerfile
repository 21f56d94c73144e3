# Tend's API and worker share one image; docker-compose.yml picks the entry point with `command`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

COPY . .
# Workers load this bundle (TEND_WORKFLOW_BUNDLE in docker-compose.yml) instead of bundling at every start.
RUN node --import tsx worker/bundleWorkflows.ts dist/workflows.js
RUN mkdir -p /data && chown node:node /data
USER node

CMD ["node", "--import", "tsx", "api/main.ts"]
