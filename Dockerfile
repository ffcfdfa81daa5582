# Production image: gunicorn serves the web app; the same image runs the worker and beat.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

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
COPY --from=frontend /app/node_modules ./node_modules
# collectstatic needs settings to import; these throwaway values are never used at run time.
RUN python tools/build_frontend.py \
    && SECRET_KEY=build-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build/build REDIS_URL=redis://build:6379/0 \
       python manage.py collectstatic --no-input \
    && chown -R complexcases /app
USER complexcases
EXPOSE 8000
CMD ["gunicorn", "complexcases.wsgi:application"]
