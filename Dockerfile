# One image per service: docker build --build-arg APP=<gateway|auth|tracking|pickup|notifications> .
ARG NODE_VERSION=20.20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
ARG APP
RUN test -n "$APP" || (echo "build arg APP is required" >&2; exit 1)
COPY tsconfig.json nest-cli.json ./
COPY libs ./libs
COPY apps ./apps
COPY tools ./tools
# The gateway also serves the web portal (built with Vite); other images get an empty folder.
RUN npx nest build "$APP" \
  && if [ "$APP" = gateway ]; then node tools/build.js web; else mkdir -p dist/web; fi \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG APP
ENV NODE_ENV=production APP=${APP}
# Languages (issue 20): the CJK font that Chinese PDFs embed (auth's letters, pickup's receipts and labels).
RUN if [ "$APP" = auth ] || [ "$APP" = pickup ]; then \
      apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/apps/${APP} ./dist
COPY --from=build --chown=node:node /app/dist/web ./web
ENV GATEWAY_WEB_DIR=/app/web
USER node
EXPOSE 3000-3004
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "const p=process.env[process.env.APP.toUpperCase()+'_PORT'];fetch('http://127.0.0.1:'+p+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "exec node dist/apps/${APP}/src/main.js"]
