"""tests/wrap/support/kit.py -- what the wrapper scripts that build kernels
with dfc, import the generated modules or link the generated C into their
own programs have in common.

Not a test itself (tests/run.sh runs tests/wrap/*.py only). A script
imports it after putting this directory on sys.path:

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "support"))
    import kit

kit.fail() records a failure in kit.FAILURES and the script goes on, so one
run reports every failure; kit.report() prints them and gives the exit
status.
"""
import importlib.util
import os
import re
import shutil
import subprocess

FAILURES = []


def fail(msg):
    FAILURES.append(msg)


def report(prefix="FAIL: "):
    """Prints the failures; the script's exit status (1 if any)."""
    for m in FAILURES:
        print(prefix + m)
    return 1 if FAILURES else 0


def build(dfc, src, out, *flags):
    """dfc build src -o out flags...; a failing build ends the script."""
    r = subprocess.run([dfc, "build", src, "-o", out] + list(flags), capture_output=True,
                       text=True, timeout=300)
    if r.returncode != 0:
        raise SystemExit("dfc build %s %s failed (%d): %s" % (src, flags, r.returncode,
                                                              r.stderr[-2000:]))


def output(cmd):
    """The stdout of cmd; a failing command ends the script."""
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stderr}")
    return r.stdout


def emit_c(dfc, src, out, *flags):
    """The C that `dfc build src -o out --emit c flags...` writes (out/NAME.c);
    a failing build ends the script."""
    output([dfc, "build", src, "-o", out, "--emit", "c"] + list(flags))
    name = os.path.splitext(os.path.basename(src))[0]
    with open(os.path.join(out, name + ".c")) as f:
        return f.read()


def function(c, name):
    """The body of kernel name's NAME_with function in the emitted C c, or
    None when there is none."""
    m = re.search(r"^%s_with\(.*?\n\{\n(.*?)\n\}\n" % name, c, re.S | re.M)
    return m.group(1) if m else None


def programs(dump):
    """{kernel: its text} of a `dfc dump --format text` output."""
    out, name = {}, None
    for line in dump.splitlines():
        m = re.match(r"program (\w+)\(", line)
        if m:
            name = m.group(1)
            out[name] = ""
        if name:
            out[name] += line + "\n"
    return out


def load(out, name):
    """Imports the Python module NAME.py that dfc build wrote into out."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(out, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cc(args, cwd, root, exe):
    """Compiles and links args with libdfcrt into cwd/exe (warnings are
    errors); False, with a failure recorded, if that fails."""
    rt = os.path.join(root, "runtime")
    lib = os.path.join(root, "build", "libdfcrt.a")
    r = subprocess.run(["cc", "-std=c11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                        "-I" + rt, "-I" + cwd] + args + [lib, "-lm", "-o", exe],
                       cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        fail("%s does not compile: %s" % (exe, r.stderr[-2000:]))
    return r.returncode == 0


def have_valgrind():
    return shutil.which("valgrind") is not None


def asan_flags():
    """The flags that stand in for valgrind where it is missing: a program
    built with them checks its own leaks."""
    return [] if have_valgrind() else ["-fsanitize=address", "-fno-omit-frame-pointer"]


def run_leak_checked(cmd, cwd, kinds="definite"):
    """Runs cmd under valgrind (leaks of these kinds are errors), or as it
    is with ASan's leak check when valgrind is missing (cmd was built with
    asan_flags()). Records a failure on a leak or a nonzero exit and
    returns None; otherwise the finished process (valgrind's report is in
    its stderr)."""
    # without the sanitizer runtime `make test SAN=1` preloads: valgrind
    # refuses to run a program with ASan (the program is built without it)
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if have_valgrind():
        cmd = ["valgrind", "--leak-check=full", "--errors-for-leak-kinds=" + kinds,
               "--error-exitcode=9"] + cmd
    else:
        env["ASAN_OPTIONS"] = "detect_leaks=1"
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)
    if r.returncode != 0:
        fail("%s: exit %d: %s" % (" ".join(cmd), r.returncode, (r.stdout + r.stderr)[-1500:]))
        return None
    return r
