# PLM Portal image: gunicorn (web), Celery worker and beat all run from it (see docker-compose.yml).
# Everything is fetched at build time from the registries (Debian, npm, PyPI); nothing at run time.

# --- Front-end assets from the npm registry (Bootstrap, Bootstrap Icons) -----------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- The application --------------------------------------------------------------------------------------
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=plm_portal.settings \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/app/media \
    PLM_VAR_DIR=/app/var

# WeasyPrint needs Pango (with its FreeType backend) and HarfBuzz, with the subsetter so fonts embed small;
# DejaVu covers Indonesian text. gettext's msgfmt compiles the translations below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig fonts-dejavu \
        gettext \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir --disable-pip-version-check --root-user-action=ignore uv==0.13.9

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project --no-cache

COPY --from=assets /assets/node_modules ./node_modules
COPY . .

# collectstatic and compilemessages only read files: a throwaway key satisfies settings for the build.
# compilemessages needs a locale/ folder to exist, even before the first translation lands.
RUN mkdir -p locale \
    && DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput -v 0 \
    && DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py compilemessages \
        --ignore=node_modules -v 0

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home plm \
    && mkdir -p /app/media /app/var \
    && chown -R plm:plm /app/media /app/var
USER plm

EXPOSE 8000
# The web service; docker-compose.yml gives worker and beat their own commands.
CMD ["gunicorn", "plm_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
