// The container image recipe for the CronJobs: Node, the PostgreSQL client tools (and server, for deep verify and the
// DR drill's throwaway cluster) of every major the profiles need, zstd, and Lifeboat itself. The official postgres
// image is the base because it already carries PostgreSQL's own Debian repository, from which the other majors come;
// Node is copied in from the official node image. The entry point is deploy/container/lifeboat-entrypoint.sh.

export function containerRecipe(majors: number[], nodeMajor = 20): string {
  const sorted = [...new Set(majors)].sort((a, b) => a - b);
  const newest = sorted.at(-1)!;
  const packages = sorted.flatMap((m) => [`postgresql-client-${m}`, `postgresql-${m}`]).join(" ");
  return `# Lifeboat for scheduled runs: built by \`docker build -f <this file> -t <image> <Lifeboat's folder>\`.
# PostgreSQL majors: ${sorted.join(", ")} (pg_dump must be at least as new as each server; restores need the same).
FROM node:${nodeMajor}-bookworm-slim AS node

FROM postgres:${newest}-bookworm
RUN apt-get update \\
 && apt-get install -y --no-install-recommends ca-certificates zstd ${packages} \\
 && rm -rf /var/lib/apt/lists/*
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \\
 && useradd --uid 10001 --user-group --create-home lifeboat \\
 && install -d -o 10001 -g 10001 /var/lib/lifeboat
WORKDIR /opt/lifeboat
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src/main ./src/main
COPY src/shared ./src/shared
COPY deploy/container/lifeboat-entrypoint.sh /usr/local/bin/lifeboat-entrypoint
ENV LIFEBOAT_HOME=/opt/lifeboat LIFEBOAT_FROM_SOURCE=1 NODE_ENV=production
USER 10001
ENTRYPOINT ["/usr/local/bin/lifeboat-entrypoint"]
CMD ["--help"]
`;
}
