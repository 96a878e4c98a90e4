# autoscale-sim in a distroless image: one static binary, no shell.
#
#   docker build -t autoscale-sim .
#   docker run --rm -v "$PWD:/work" autoscale-sim test examples/
#
# The build stage compiles with CGO_ENABLED=0, so the binary needs no libc
# and runs on distroless/static as the nonroot user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/autoscale-sim ./cmd/autoscale-sim

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/autoscale-sim /usr/local/bin/autoscale-sim
WORKDIR /work
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/autoscale-sim"]
