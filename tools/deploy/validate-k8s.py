#!/usr/bin/env python3
"""Validates rendered Kubernetes manifests offline (called by tools/deploy/check-k8s.sh).

Built-in kinds go to kubernetes-validate (its bundled Kubernetes JSON schemas, strict: an unknown
field is an error). KEDA's kinds (keda.sh/*) go to the openAPIV3Schema of KEDA's own CRDs, made
strict the way the API server's strict field validation is: an object schema that lists its
properties and neither allows unknown fields (x-kubernetes-preserve-unknown-fields) nor states
additionalProperties gets additionalProperties: false.

usage: validate-k8s.py --kubernetes-version 1.31.0 --keda-crds <dir> <rendered.yaml>...
"""
import argparse
import glob
import os
import sys

import jsonschema
import kubernetes_validate
import yaml


def strict(schema):
    """A copy of an OpenAPI v3 schema that refuses fields it does not list."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) for k, v in schema.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def load_keda_schemas(crd_dir):
    """{(apiVersion, kind): schema} from every CRD file in crd_dir."""
    schemas = {}
    for path in sorted(glob.glob(os.path.join(crd_dir, "*.yaml"))):
        with open(path) as f:
            for crd in yaml.safe_load_all(f):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                group = crd["spec"]["group"]
                kind = crd["spec"]["names"]["kind"]
                for version in crd["spec"]["versions"]:
                    schema = strict(version["schema"]["openAPIV3Schema"])
                    # The API server checks metadata itself; the CRD schema says only "object".
                    schema["properties"]["metadata"] = {"type": "object"}
                    schemas[(f"{group}/{version['name']}", kind)] = schema
    return schemas


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubernetes-version", required=True)
    parser.add_argument("--keda-crds", required=True)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    keda = load_keda_schemas(args.keda_crds)
    if not keda:
        sys.exit(f"no KEDA CRD found in {args.keda_crds}")
    errors = []
    for path in args.files:
        with open(path) as f:
            documents = [d for d in yaml.safe_load_all(f) if d]
        counts = {"kubernetes": 0, "keda": 0}
        for doc in documents:
            name = f"{path}: {doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
            api_version = doc.get("apiVersion", "")
            if api_version.startswith("keda.sh/"):
                schema = keda.get((api_version, doc.get("kind")))
                if schema is None:
                    errors.append(f"{name}: no KEDA schema for {api_version} {doc.get('kind')}")
                    continue
                validator = jsonschema.Draft7Validator(schema)
                problems = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
                for problem in problems:
                    where = "/".join(str(p) for p in problem.absolute_path) or "(root)"
                    errors.append(f"{name}: {where}: {problem.message}")
                counts["keda"] += 1
                continue
            try:
                kubernetes_validate.validate(doc, args.kubernetes_version, strict=True)
            except kubernetes_validate.ValidationError as e:
                where = "/".join(str(p) for p in e.path) or "(root)"
                errors.append(f"{name}: {where}: {e.message}")
            except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as e:
                errors.append(f"{name}: {e.message}")
            counts["kubernetes"] += 1
        print(
            f"{path}: {counts['kubernetes']} objects against Kubernetes {args.kubernetes_version} (strict), "
            f"{counts['keda']} against KEDA's CRDs"
        )
    for error in errors:
        print(f"INVALID {error}", file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
