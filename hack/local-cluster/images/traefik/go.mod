// Pins the Traefik release build.sh downloads (go.sum checks it); Traefik is built inside a copy of
// its own source tree because its go.mod has replace directives, which only apply there.
module berth.local/traefik

go 1.25.0

require github.com/traefik/traefik/v3 v3.6.12
