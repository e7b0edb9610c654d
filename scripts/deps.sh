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
    qtkeychain-qt6-dev libsecret-1-0
)

# What the desktop app needs to show its window: the X11 platform plugin (in qt6-qpa-plugins
# above), a font, and Qt's SVG icon engine for its icons.
OKH_DESKTOP_PACKAGES=(fonts-dejavu-core libqt6svg6)

# The stand-in deployment's servers (scripts/run without a file, and the tests): redis,
# PostgreSQL, nginx, the Django site and the Celery worker from Debian's Python packages.
OKH_STANDIN_PACKAGES=(
    redis-server postgresql-15 postgresql-client-15 nginx-light procps openssl
    python3-django python3-django-health-check python3-django-redis python3-psycopg2 python3-redis
    python3-celery
)

# What the tests start for real besides: clients to compare against, sshd, Prometheus, and a
# real X server for the desktop's screenshot run.
OKH_TEST_PACKAGES=(
    "${OKH_DESKTOP_PACKAGES[@]}" "${OKH_STANDIN_PACKAGES[@]}"
    redis-tools curl openssh-server openssh-client prometheus busybox netbase xvfb xauth
    desktop-file-utils appstream dbus-daemon dunst gnome-keyring libsecret-tools
)
