"""The code server's gRPC API, over real gRPC (Debian's python3-grpcio).

Service `api.DagsterApi`: Ping, GetServerId, ListRepositories, StartRun. Like Dagster's, the
messages carry one string field holding serialized JSON. Service `grpc.health.v1.Health`:
the standard gRPC health check, which `dagster api grpc-health-check` calls.
"""

import json

import grpc

API = "api.DagsterApi"
HEALTH = "grpc.health.v1.Health"
SERVING = 1


# -- protobuf wire format, just enough for messages with string field 1 -------------------
def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def encode_str(text, field=1):
    data = text.encode("utf-8")
    return bytes([(field << 3) | 2]) + _varint(len(data)) + data


def encode_enum(value, field=1):
    return bytes([(field << 3) | 0]) + _varint(value)


def decode_fields(buf):
    fields = {}
    i = 0
    while i < len(buf):
        key = 0
        shift = 0
        while True:
            b = buf[i]
            i += 1
            key |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        field, wire = key >> 3, key & 7
        val = 0
        shift = 0
        if wire == 0:
            while True:
                b = buf[i]
                i += 1
                val |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
            fields[field] = val
        elif wire == 2:
            length = 0
            while True:
                b = buf[i]
                i += 1
                length |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
            fields[field] = bytes(buf[i:i + length])
            i += length
        else:
            raise ValueError(f"unsupported wire type {wire}")
    return fields


def decode_str(buf, field=1):
    value = decode_fields(buf).get(field, b"")
    return value.decode("utf-8") if isinstance(value, bytes) else ""


# -- client -------------------------------------------------------------------------------
class UserCodeUnreachable(Exception):
    def __init__(self, host, port, err):
        code = err.code().name if hasattr(err, "code") else "UNAVAILABLE"
        detail = err.details() if hasattr(err, "details") else str(err)
        super().__init__(
            "dagster._core.errors.DagsterUserCodeUnreachableError: Could not reach user code "
            f"server. gRPC Error code: {code} ({host}:{port}: {detail})"
        )
        self.code = code


class Client:
    def __init__(self, host, port, timeout=10):
        self.host = host
        self.port = int(port)
        self.timeout = timeout
        self._channel = grpc.insecure_channel(f"{host}:{self.port}")

    def _call(self, service, method, payload, timeout=None):
        fn = self._channel.unary_unary(f"/{service}/{method}")
        try:
            return fn(payload, timeout=timeout or self.timeout)
        except grpc.RpcError as e:
            raise UserCodeUnreachable(self.host, self.port, e) from None

    def health(self, timeout=5):
        reply = self._call(HEALTH, "Check", b"", timeout=timeout)
        return decode_fields(reply).get(1, 0)

    def ping(self, echo="ping"):
        return decode_str(self._call(API, "Ping", encode_str(echo)))

    def server_id(self):
        return decode_str(self._call(API, "GetServerId", b"", timeout=5))

    def list_repositories(self):
        return json.loads(decode_str(self._call(API, "ListRepositories", b"", timeout=30)))

    def start_run(self, request):
        reply = self._call(API, "StartRun", encode_str(json.dumps(request)), timeout=30)
        return json.loads(decode_str(reply))

    def close(self):
        self._channel.close()


# -- server -------------------------------------------------------------------------------
def serve(host, port, handlers, workers=4):
    """handlers: dict method -> fn(str) -> str for api.DagsterApi, plus 'health' -> bool."""
    from concurrent import futures

    def api_method(fn):
        def handle(request, context):
            return encode_str(fn(decode_str(request)))

        return grpc.unary_unary_rpc_method_handler(handle)

    def health_check(request, context):
        return encode_enum(SERVING if handlers["health"]() else 2)

    api = {name: api_method(fn) for name, fn in handlers.items() if name != "health"}
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers))
    server.add_generic_rpc_handlers((
        grpc.method_handlers_generic_handler(API, api),
        grpc.method_handlers_generic_handler(
            HEALTH, {"Check": grpc.unary_unary_rpc_method_handler(health_check)}
        ),
    ))
    bound = server.add_insecure_port(f"{host}:{port}")
    if not bound:
        raise OSError(f"Could not bind the gRPC server to {host}:{port} (address in use?)")
    server.start()
    return server
