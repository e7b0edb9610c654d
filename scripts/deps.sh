# Sourced by scripts/run and scripts/test: installs the Debian packages the product and its
# tests need. Idempotent and quiet: apt-get runs only when something is missing.
okh_install_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What building the product needs.
OKH_BUILD_PACKAGES=(
    g++ cmake ninja-build pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    libqt6sql6-sqlite qt6-qpa-plugins libhiredis-dev libssh2-1-dev
)

# What the tests start for real: servers, clients to compare against, the Django and Celery apps.
OKH_TEST_PACKAGES=(
    redis-server redis-tools postgresql-15 postgresql-client-15 nginx-light curl procps
    python3-django python3-django-health-check python3-django-redis python3-psycopg2 python3-redis
    python3-celery openssh-server openssh-client openssl prometheus busybox netbase
)
