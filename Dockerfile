# One image for every aidp-watch function (poll, track, export); see docs/deploy.md.
# Build the bundle first (`npm run build`, or let `npm run deploy` do it): the
# image holds only the esbuild bundle, func.cjs and the ES module chunks it
# imports on demand (docs/cold-start.md), so a cold start skips the node_modules walk.
# Oracle's mirror of the same image: --build-arg RUN_IMAGE=<region-key>.ocir.io/oraclefunctionsdevelopm/fnproject/node:22
ARG RUN_IMAGE=fnproject/node:22
FROM ${RUN_IMAGE}
WORKDIR /function
COPY dist/func.cjs dist/func.cjs.map /function/
COPY dist/chunks/ /function/chunks/
ENTRYPOINT ["node", "/function/func.cjs"]
