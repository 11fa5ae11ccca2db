# drama-bot: a slim, non-root image. Build: docker build -t drama-bot .
# Run it as README.md's "Docker" section shows (restarts after a crash, config bind-mounted).
# Mount your own cards at /app/data/cards and your config at /app/config.yaml.

FROM python:3.11-slim AS build
WORKDIR /src
# Dependencies first, in a layer of their own: it is rebuilt only when pyproject.toml changes,
# so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install --no-cache-dir --prefix=/install -r requirements.txt
# Then the project itself (its dependencies are already there).
COPY README.md ./
COPY bot ./bot
COPY data/cards ./data/cards
RUN pip install --no-cache-dir --prefix=/install --no-deps .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1
# jemalloc: `drama-bot run` takes Python's objects from it when the system has it, so memory
# stays flat across full reloads (README's "Memory"; set PYTHONMALLOC=pymalloc to opt out).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libjemalloc2 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 dramabot \
    && mkdir -p /app/state \
    && chown dramabot:dramabot /app/state
COPY --from=build /install /usr/local
WORKDIR /app
COPY config.example.yaml ./config.yaml
COPY data/cards ./data/cards
USER dramabot
VOLUME ["/app/state"]
# Healthy while the bot is connected to Discord: it refreshes a heartbeat file every 20 s
# (next to the database, in /app/state); `drama-bot health` fails when the file is missing,
# older than 90 s, or says the bot has been disconnected for over a minute.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["drama-bot", "health", "--config", "/app/config.yaml"]
CMD ["drama-bot", "run", "--config", "/app/config.yaml"]
