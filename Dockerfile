# Production image: gunicorn serves the web app; the same image runs the worker and beat.
# The front end is built here (Dart Sass, esbuild, svgo: ADR 0036); only its output is kept.
FROM node:20-bookworm-slim AS frontend
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tools/build_frontend.py ./tools/
COPY frontend ./frontend
RUN python3 tools/build_frontend.py

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=complexcases.settings.production
WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app complexcases
COPY pyproject.toml README.md ./
COPY complexcases ./complexcases
COPY triage ./triage
COPY panel ./panel
COPY jcw ./jcw
RUN pip install --no-cache-dir .
COPY . .
COPY --from=frontend /app/frontend_root ./frontend_root
# collectstatic needs settings to import; these throwaway values are never used at run time.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build/build REDIS_URL=redis://build:6379/0 \
       python manage.py collectstatic --no-input \
    && chown -R complexcases /app
USER complexcases
EXPOSE 8000
CMD ["gunicorn", "complexcases.wsgi:application"]
