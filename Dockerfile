# The image every Python service in docker-compose.yml runs (web, worker, beat).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# libicu-dev, pkg-config and g++ build PyICU (collation for the print glossary).
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    libicu-dev pkg-config g++ \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv \
    && useradd --create-home --uid 1000 wegweiser

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
RUN DJANGO_SETTINGS_MODULE=cms.settings.dev python manage.py collectstatic --noinput -v0 \
    && DJANGO_SETTINGS_MODULE=cms.settings.dev python manage.py compilemessages -v0 \
    && mkdir -p var/media var/artifacts && chown -R wegweiser var

USER wegweiser
EXPOSE 8000
CMD ["gunicorn", "cms.wsgi:application", "--bind=0.0.0.0:8000"]
