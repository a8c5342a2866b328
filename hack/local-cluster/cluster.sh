# shellcheck shell=bash
# Everything up.sh, down.sh and node.sh share, sourced in one place: settings and helpers (lib.sh),
# certificates, configs, the components, the readiness gates and the extra nodes. Functions and
# settings only: sourcing it runs nothing.
# shellcheck source=lib.sh
source "$HERE/lib.sh"
# shellcheck source=pki.sh
source "$HERE/pki.sh"
# shellcheck source=configs.sh
source "$HERE/configs.sh"
# shellcheck source=components.sh
source "$HERE/components.sh"
# shellcheck source=gates.sh
source "$HERE/gates.sh"
# shellcheck source=nodes.sh
source "$HERE/nodes.sh"
# shellcheck source=node-gates.sh
source "$HERE/node-gates.sh"
