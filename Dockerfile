# syntax=docker/dockerfile:1
# The `sweep` command for Kubernetes (docs/kubernetes.md): a framework-dependent publish of
# src/SweepCluster.Cli on the ASP.NET Core runtime (the CLI serves /healthz, /readyz, /metrics),
# with OpenBLAS, running as the non-root user 10001.
#
#   docker build -t registry.example.com/sweepcluster/sweep:0.1.0 .
#
# Note: .NET 10's default image tags are Ubuntu 24.04 (a Debian derivative with apt; there are no
# Debian images for .NET 10).
#
# Both base images are pinned by digest (the tag only says which release line it is): a rebuild gets the same
# bytes until someone moves the pin on purpose. To move it (docs/kubernetes.md, "Build and push the image"):
#   docker buildx imagetools inspect mcr.microsoft.com/dotnet/sdk:10.0      (the "Digest:" line)
#   docker buildx imagetools inspect mcr.microsoft.com/dotnet/aspnet:10.0

FROM mcr.microsoft.com/dotnet/sdk:10.0@sha256:ea8bde36c11b6e7eec2656d0e59101d4462f6bd630730f2c8201ed0572b295d5 AS build
WORKDIR /src
# What the build reads: the SDK pin, the shared build settings and central package versions, the
# analyzer settings (warnings are errors), and the sources. Tests, benchmarks and docs stay out.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/SweepCluster.Cli/SweepCluster.Cli.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0@sha256:1fa23fc4872d95fd71c2833ebe65d7e84a43b2d51a31d119516852f13d9505a7 AS runtime
# OpenBLAS (libopenblas.so.0, and libblas.so.3/liblapack.so.3 through alternatives) for the
# linear algebra of the model.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libopenblas0-pthread \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 sweep \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin sweep \
    && install -d -o 10001 -g 10001 -m 0750 /data
COPY --from=build /app /app
# One BLAS thread per compute slot: the worker's slots are the parallelism.
ENV OPENBLAS_NUM_THREADS=1
# A writable working folder for `docker run` (embedded mode writes ./sweeps/). In Kubernetes the
# root filesystem is read-only and the pods work in /tmp, an emptyDir.
WORKDIR /data
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/app/sweep"]
CMD ["--help"]
