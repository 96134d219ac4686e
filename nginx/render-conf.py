#!/usr/bin/env python3
"""Renders nginx/nginx.conf.template into $CLUSTER_DIR/nginx.conf: the one renderer, used by nginx/cluster.sh (the
cluster and the fault bench) and by api-server's NginxProxyTest.

Reads the environment. Required: CLUSTER_DIR (NGINX's prefix: the config, logs and temp dirs), CLUSTER_NODES,
NODE_BASE_PORT (nodes on 127.0.0.1 from that port up), LISTEN (host:port), CORS_ALLOWED_ORIGINS (as the nodes read
it). The NGINX knobs and their defaults (nginx/README.md) are defined here only.
"""
import os
import re
import sys

TEMPLATE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nginx.conf.template")


def knob(name, default):
    """Unset or empty means the default, as ${NAME:-default} in the scripts."""
    return os.environ.get(name) or default


def cors_origin_lines(allowed):
    """$cors_allow_origin's map: the request's Origin for an allowed one, with the * patterns of Jetty's filter."""
    origins = [o for o in re.split(r"[,\s]+", allowed) if o]
    if "*" in origins:
        return "        default $http_origin;"
    lines = ['        default "";']
    for origin in origins:
        if "*" in origin:
            pattern = origin.replace(".", "\\.").replace("*", ".*")
            lines.append(f'        "~^{pattern}$" $http_origin;')
        else:
            lines.append(f'        "{origin}" $http_origin;')
    return "\n".join(lines)


def values(env):
    prefix = env["CLUSTER_DIR"]
    nodes, base = int(env["CLUSTER_NODES"]), int(env["NODE_BASE_PORT"])
    max_fails, fail_timeout = knob("UPSTREAM_MAX_FAILS", "3"), knob("UPSTREAM_FAIL_TIMEOUT", "10s")
    servers = "\n".join(f"        server 127.0.0.1:{base + i} max_fails={max_fails} fail_timeout={fail_timeout};"
                        for i in range(nodes))
    # Set but empty means no exemption (the scripts' ${RATE_LIMIT_EXEMPT-...}).
    exempt = env.get("RATE_LIMIT_EXEMPT", "127.0.0.1/32")
    exempt_lines = "\n".join(f"        {cidr} 1;" for cidr in re.split(r"[,\s]+", exempt) if cidr)
    access_log = knob("NGINX_ACCESS_LOG", "off")
    if access_log != "off":
        access_log = f"{prefix}/nginx-access.log combined buffer=64k flush=5s"
    return {
        "PREFIX": prefix, "WORKER_PROCESSES": knob("NGINX_WORKERS", "auto"), "ACCESS_LOG": access_log,
        "GZIP": knob("NGINX_GZIP", "on"), "UPSTREAM_SERVERS": servers,
        "UPSTREAM_KEEPALIVE": knob("UPSTREAM_KEEPALIVE", "64"),
        "UPSTREAM_KEEPALIVE_TIMEOUT": knob("UPSTREAM_KEEPALIVE_TIMEOUT", "15s"), "LISTEN": env["LISTEN"],
        "RATE_LIMIT_RPS": knob("RATE_LIMIT_RPS", "100"), "RATE_LIMIT_BURST": knob("RATE_LIMIT_BURST", "200"),
        "RATE_LIMIT_RETRY_AFTER": knob("RATE_LIMIT_RETRY_AFTER", "1"), "RATE_LIMIT_EXEMPT_LINES": exempt_lines,
        "UNAVAILABLE_RETRY_AFTER": knob("UNAVAILABLE_RETRY_AFTER", "1"),
        "CORS_ORIGIN_LINES": cors_origin_lines(env["CORS_ALLOWED_ORIGINS"]),
    }


def main():
    try:
        subst = values(os.environ)
    except KeyError as missing:
        sys.exit(f"render-conf.py: {missing.args[0]} must be set")
    prefix = subst["PREFIX"]
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        os.makedirs(os.path.join(prefix, temp), exist_ok=True)
    with open(TEMPLATE) as f:
        text = f.read()
    for name, value in subst.items():
        text = text.replace("@" + name + "@", value)
    with open(os.path.join(prefix, "nginx.conf"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
