# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the full dev toolchain.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
COPY scripts ./scripts
COPY bench ./bench
RUN npm run build

# Runtime stage: production dependencies, compiled code and mail templates only; runs as the unprivileged node user.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY templates ./templates
USER node
# SIGTERM drains running jobs for up to DRAIN_TIMEOUT_MS; give Docker at least that long before it kills.
STOPSIGNAL SIGTERM
# The dashboard (`start --dashboard`: Bull Board, /healthz, /metrics) when DASHBOARD_HOST=0.0.0.0 and a token are set.
EXPOSE 8480
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["start"]
