# syntax=docker/dockerfile:1.7-labs
FROM python:3.11-slim-bookworm

ARG DJANGO_ENV=production
ARG GIT_SHA
LABEL org.opencontainers.image.revision=$GIT_SHA

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends \
		libpq5=15.6-0+deb12u1 \
		gettext \
	; \
	rm -rf /var/lib/apt/lists/*

WORKDIR /code
COPY requirements/ requirements/
RUN pip install -r requirements/${DJANGO_ENV}.txt \
 && pip install gunicorn==21.2.0 "uvicorn[standard]>=0.27"

COPY . .
RUN pip install --no-deps -e .
RUN python manage.py collectstatic --noinput && echo "$GIT_SHA" > /code/REVISION

RUN <<EOF
groupadd --system app
useradd --system --gid app --home /code app
chown -R app:app /code
EOF

USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
