# drama-bot: a slim, non-root image. Build: docker build -t drama-bot .
# Run:   docker run -e DISCORD_TOKEN=... -v "$PWD/data/cards:/app/data/cards:ro" \
#          -v drama-bot-state:/app/state drama-bot
# Mount your own cards at /app/data/cards and your config at /app/config.yaml.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN useradd --create-home --uid 10001 dramabot \
    && mkdir -p /app/state \
    && chown dramabot:dramabot /app/state
COPY --from=build /install /usr/local
WORKDIR /app
COPY config.example.yaml ./config.yaml
COPY data/cards ./data/cards
USER dramabot
VOLUME ["/app/state"]
CMD ["drama-bot", "run", "--config", "/app/config.yaml"]
