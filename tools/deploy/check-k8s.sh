#!/usr/bin/env bash
# Renders every overlay of deploy/k8s with kustomize and validates the result offline: built-in kinds
# against the Kubernetes 1.31 schemas that kubernetes-validate bundles (strict), KEDA's ScaledObjects
# and TriggerAuthentications against the CRD schemas shipped in KEDA's Go module. Exits non-zero on
# any error. Installs what it lacks under .cache/k8s-tools (git-ignored): kustomize from the Go module
# proxy, kubernetes-validate from PyPI into a virtualenv. CI runs it (.ci/run); so can anyone:
#   bash tools/deploy/check-k8s.sh            # render + validate dev and prod
#   K8S_RENDER_DIR=/tmp/out bash tools/deploy/check-k8s.sh   # keep the rendered YAML elsewhere
set -euo pipefail
cd "$(dirname "$0")/../.."

KUSTOMIZE_VERSION=v5.8.1       # v5.8.3 needs Go 1.27; this machine has 1.26
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBERNETES_VERSION=1.31.0
KEDA_VERSION=v2.20.2           # v2.21 needs Go 1.27 (go mod download refuses it here)
TOOLS="$PWD/.cache/k8s-tools"
OUT="${K8S_RENDER_DIR:-$PWD/.cache/k8s/rendered}"
mkdir -p "$TOOLS/bin" "$OUT"

# kustomize: the one on PATH if it is the pinned version, else ours.
KUSTOMIZE="$TOOLS/bin/kustomize"
if [ ! -x "$KUSTOMIZE" ] || [ "$("$KUSTOMIZE" version)" != "$KUSTOMIZE_VERSION" ]; then
  echo "installing kustomize $KUSTOMIZE_VERSION into $TOOLS/bin"
  GOBIN="$TOOLS/bin" GOTOOLCHAIN=local go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
fi

VENV="$TOOLS/venv"
if ! "$VENV/bin/python" -c "import kubernetes_validate, sys; sys.exit(kubernetes_validate.__version__ != '$KUBERNETES_VALIDATE_VERSION')" 2>/dev/null; then
  echo "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi

# KEDA's CRDs: read from the module in the Go module cache, never copied into the repository. Run
# outside any go.mod so the download is of that module alone.
KEDA_DIR=$(cd "$TOOLS" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "github.com/kedacore/keda/v2@$KEDA_VERSION" |
  "$VENV/bin/python" -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["Error"]) if d.get("Error") else print(d["Dir"])')
KEDA_CRDS="$KEDA_DIR/config/crd/bases"
[ -f "$KEDA_CRDS/keda.sh_scaledobjects.yaml" ] || { echo "no KEDA CRDs in $KEDA_CRDS" >&2; exit 1; }

rendered=()
for overlay in deploy/k8s/overlays/*/; do
  name=$(basename "$overlay")
  "$KUSTOMIZE" build "$overlay" >"$OUT/$name.yaml"
  rendered+=("$OUT/$name.yaml")
done
"$VENV/bin/python" tools/deploy/validate-k8s.py \
  --kubernetes-version "$KUBERNETES_VERSION" --keda-crds "$KEDA_CRDS" "${rendered[@]}"
echo "deploy/k8s: ${#rendered[@]} overlays rendered and valid (kustomize $KUSTOMIZE_VERSION, Kubernetes $KUBERNETES_VERSION, KEDA $KEDA_VERSION)"
