#!/bin/bash
# Layers, top to bottom: app/main/commands/jobs/state -> routes -> views -> services -> db -> (config, error, text)
cd "$(dirname "$0")/.."
bad=0
check() { # dir, forbidden regex
  out=$(grep -rnE "crate::($2)\b" "$1" | grep -v "^\s*//")
  if [ -n "$out" ]; then echo "$1 imports above it:"; echo "$out"; bad=1; fi
}
check src/db 'services|views|routes|state|app|jobs|commands|templates'
check src/services 'views|routes|state|app|jobs|commands|templates'
check src/views 'routes|state|app|jobs|commands'
check src/routes 'app|jobs|commands'
check src/i18n.rs 'db|services|views|routes|state|app|jobs|commands|templates'
check src/text.rs 'db|services|views|routes|state|app|jobs|commands'
check src/error.rs 'db|services|views|routes|state|app|jobs|commands'
check src/config.rs 'db|services|views|routes|state|app|jobs|commands'
[ $bad = 0 ] && echo "layers: no module imports a layer above it"
exit $bad
