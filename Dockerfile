# One image for every aidp-watch function (poll, track, export); see docs/deploy.md.
# Build the bundles first (`npm run build`, or let `npm run deploy` do it). The
# image holds one file of code, dist/snapshot/func-snapshot.cjs (every handler
# and the OCI SDK bundled), and a V8 startup snapshot built from it: a
# container starts with oci-common, the SDK clients, zod and our code already
# initialised in the heap instead of compiling and running them on the first
# call (bench/results/cold-start.json; functions/snapshot-entry.ts says what is
# and isn't in the snapshot).
# Oracle's mirror of the same image: --build-arg RUN_IMAGE=<region-key>.ocir.io/oraclefunctionsdevelopm/fnproject/node:22
ARG RUN_IMAGE=fnproject/node:22
FROM ${RUN_IMAGE}
WORKDIR /function
COPY deploy/image/snapshot-config.json dist/snapshot/func-snapshot.cjs dist/snapshot/func-snapshot.cjs.map /function/
# Built here, by the run image's own node: a snapshot only loads into the exact
# Node build that wrote it (another one refuses it and exits at start). The
# config keeps V8's code cache in the blob (`withoutCodeCache: false`): without
# it, Node 20.20 and 22.23 both abort (SIGTRAP) on the first signed request.
RUN ["node", "--snapshot-blob", "/function/func.blob", "--build-snapshot-config", "/function/snapshot-config.json"]
ENTRYPOINT ["node", "--snapshot-blob", "/function/func.blob"]
# Without the snapshot (troubleshooting), the same script serves directly:
#   docker run --entrypoint node <image> /function/func-snapshot.cjs
