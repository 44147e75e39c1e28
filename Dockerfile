# One image for every aidp-watch function (poll, track, export); see docs/deploy.md.
# Build the bundle first (`npm run build`, or let `npm run deploy` do it): the
# image holds only the esbuild bundle, func.cjs and the ES module chunks it
# imports on demand (docs/cold-start.md), so a cold start skips the node_modules walk.
# The run image is pinned, never the floating fnproject/node:22: a rebuild
# must not pick up another Node. fnproject/fdk-node's release script
# (internal/release/docker_publish.sh) publishes fnproject/node:22-<FDK
# release> next to :22; 0.0.91 is the FDK release of 2026-02-27. Pin harder
# with a digest, e.g. --build-arg RUN_IMAGE=fnproject/node:22-0.0.91@sha256:<digest>
# (docs/deploy.md: how to read it; `npm run deploy -- --run-image …`).
ARG RUN_IMAGE=fnproject/node:22-0.0.91
FROM ${RUN_IMAGE}
WORKDIR /function
COPY dist/func.cjs dist/func.cjs.map /function/
COPY dist/chunks/ /function/chunks/
ENTRYPOINT ["node", "/function/func.cjs"]
