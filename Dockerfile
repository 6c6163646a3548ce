# syntax=docker/dockerfile:1
# callcheck's image, for those who build with Docker (docker buildx build
# --platform linux/amd64,linux/arm64 --build-arg VERSION=v1.2.3 .). The
# release builds the same image without Docker: go run ./internal/tools/image
# (a static binary on an empty base, user 65532, the same entrypoint and
# labels). This one sits on distroless/static, which adds CA certificates,
# tzdata and /etc/passwd to the same user.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=devel
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath \
      -ldflags "-s -w -X github.com/callcheck/callcheck/internal/version.Version=$VERSION" \
      -o /out/callcheck ./cmd/callcheck && mkdir /out/work

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=devel
ARG REVISION=unknown
LABEL org.opencontainers.image.title="callcheck" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$REVISION" \
      org.opencontainers.image.source="https://github.com/callcheck/callcheck"
COPY --from=build /out/callcheck /usr/local/bin/callcheck
COPY --from=build --chown=65532:65532 /out/work /work
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/callcheck"]
