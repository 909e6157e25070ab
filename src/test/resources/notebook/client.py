"""Drives the nnft kernel over the Jupyter protocol (jupyter_client): an interrupt during sampling,
the session after it, completion, inspection, is_complete, shutdown. Prints one line per check,
'ok: ...' or 'FAILED: ...', and exits 1 if any failed. Timeouts are limits only."""
import queue
import sys

from jupyter_client.manager import start_new_kernel

failed = []


def check(ok, what, detail=""):
    print(("ok: " if ok else "FAILED: ") + what + ("" if ok else " -- " + str(detail)), flush=True)
    if not ok:
        failed.append(what)


def run(kc, code, timeout=60):
    """Executes code; returns (reply content, list of iopub messages of this request)."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    outputs = drain(kc, msg_id, timeout)
    return reply["content"], outputs


def shell_reply(kc, msg_id, timeout=30):
    """The content of the shell reply to a request."""
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r["content"]


def drain(kc, msg_id, timeout):
    """The iopub messages of a request, up to its idle status."""
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        out.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return out


def text_of(outputs):
    parts = []
    for m in outputs:
        c = m["content"]
        if m["msg_type"] == "stream":
            parts.append(c["text"])
        elif m["msg_type"] in ("display_data", "execute_result"):
            parts.append(c["data"].get("text/plain", ""))
    return "".join(parts)


def main():
    km, kc = start_new_kernel(kernel_name="nnft", startup_timeout=120)
    try:
        info = kc.kernel_info(reply=True, timeout=30)["content"]
        check(info["language_info"]["name"] == "nnft", "kernel_info names the language nnft", info)

        content, outs = run(kc, "let keep = 41\nnet big(x: R^1) {\n  W[2000, 1] ~ normal(0, 1)\n  return sum(cos(W @ x))\n}")
        check(content["status"] == "ok", "a cell defines a net", content)

        # sampling that would take many minutes; interrupted until the cell ends
        msg_id = kc.execute("let E = sample(big, 1e9, estimator = \"networks\")\nshow correlator(E, 0, 1)")
        reply = None
        for _ in range(120):
            km.interrupt_kernel()
            try:
                r = kc.get_shell_msg(timeout=1)
            except queue.Empty:
                continue
            if r["parent_header"].get("msg_id") == msg_id:
                reply = r
                break
        check(reply is not None, "an interrupt ends a sampling cell")
        if reply is not None:
            c = reply["content"]
            check(c["status"] == "error" and c["ename"] == "Interrupted", "the interrupted cell is an Interrupted error", c)
        drain(kc, msg_id, 30)

        content, outs = run(kc, "keep + 1")
        check(content["status"] == "ok" and "42" in text_of(outs), "the session survives the interrupt", (content, text_of(outs)))
        content, outs = run(kc, "let F = sample(big, 100, seed = 2)\nshow correlator(F, 0)")
        check(content["status"] == "ok" and "\u00b1" in text_of(outs), "sampling works again after the interrupt", (content, text_of(outs)))

        r = kc.complete("let y = corr", 12, reply=True, timeout=30)["content"]
        check("correlator" in r["matches"] and r["cursor_start"] == 8 and r["cursor_end"] == 12,
              "completion of a built-in", r)
        r = kc.complete("ke", 2, reply=True, timeout=30)["content"]
        check("keep" in r["matches"], "completion of a session's name", r)
        r = kc.complete(":he", 3, reply=True, timeout=30)["content"]
        check("help" in r["matches"], "completion of a :command", r)
        r = kc.inspect("correlator(E, 0)", 3, reply=True, timeout=30)["content"]
        check(r["found"] and "ensemble" in r["data"]["text/plain"], "Shift-Tab help on a built-in", r)
        r = shell_reply(kc, kc.is_complete("net f(x: R^1) {"))
        check(r["status"] == "incomplete", "an open brace is incomplete", r)
        r = shell_reply(kc, kc.is_complete("let z = 1"))
        check(r["status"] == "complete", "a statement is complete", r)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    check(not km.is_alive(), "the kernel shuts down")
    print("%d checks failed" % len(failed) if failed else "all checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
