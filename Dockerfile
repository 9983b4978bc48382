# Nhắc việc: the real service (`nhacviec run`). SQLite lives on the /data volume
# unless DATABASE_URL points at PostgreSQL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/nhacviec.db \
    NHACVIEC_ERROR_LOG=/data/nhacviec-error.log

# Pango for WeasyPrint (PDF reports) and Liberation Serif, metric-compatible with the
# Times New Roman the administrative-document decree asks for.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 nhacviec \
    && mkdir -p /data && chown nhacviec:nhacviec /data

WORKDIR /app
# The runtime lock first (hashed, exact versions: the image runs what CI tested), in
# its own layer so a code change does not reinstall the dependencies.
COPY requirements-runtime.lock ./
RUN pip install --require-hashes -r requirements-runtime.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY data ./data
RUN pip install --no-deps . && pip check

USER nhacviec
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"
WORKDIR /data
ENTRYPOINT ["nhacviec"]
CMD ["run"]
