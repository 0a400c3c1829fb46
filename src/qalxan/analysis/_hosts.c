/* Hosts of URLs and their domain-indicator look-ups, compiled: the links detector's hot
 * loop (see docs/analysis/performance.md). Semantics, documented in _hosts.pyi, are those of
 * the Python code this replaced, which the tests keep as their reference. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *lower_name; /* "lower", interned */

/* Strings are always "ready" from Python 3.12 on (the call is deprecated there). */
#if PY_VERSION_HEX < 0x030C0000
#define READY(s) PyUnicode_READY(s)
#else
#define READY(s) 0
#endif

/* Where the host of url[0:n] lies: [*start, *end); nonzero when it is an IPv6 literal.
 * The scheme ends at the first "://"; the authority ends at the first "/", "?" or "#";
 * user information ends at the authority's last "@"; then either "[...]" or the host up to
 * a ":" without trailing dots. Inlined once per string kind, so `kind` is a constant. */
static inline __attribute__((always_inline)) void
host_bounds(int kind, const void *data, Py_ssize_t n, Py_ssize_t *start, Py_ssize_t *end)
{
    Py_ssize_t i, rest = 0, colon = -1;
    for (i = 0; i + 2 < n; i++) {
        if (PyUnicode_READ(kind, data, i) == ':' && PyUnicode_READ(kind, data, i + 1) == '/'
            && PyUnicode_READ(kind, data, i + 2) == '/') {
            rest = i + 3;
            break;
        }
    }
    Py_ssize_t begin = rest;
    for (i = rest; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '/' || c == '?' || c == '#')
            break;
        if (c == '@') {
            begin = i + 1;
            colon = -1;
        }
        else if (c == ':' && colon < 0)
            colon = i;
    }
    if (begin < i && PyUnicode_READ(kind, data, begin) == '[') {
        Py_ssize_t j = begin + 1;
        while (j < i && PyUnicode_READ(kind, data, j) != ']')
            j++;
        *start = begin + 1;
        *end = j;
        return;
    }
    Py_ssize_t stop = colon >= 0 ? colon : i;
    while (stop > begin && PyUnicode_READ(kind, data, stop - 1) == '.')
        stop--;
    *start = begin;
    *end = stop;
}

/* The lower-case host of one URL (a new reference), NULL with an exception set. */
static PyObject *
host_of_str(PyObject *url)
{
    if (!PyUnicode_Check(url)) {
        PyErr_Format(PyExc_TypeError, "a URL must be str, not %.100s", Py_TYPE(url)->tp_name);
        return NULL;
    }
    if (READY(url) < 0)
        return NULL;
    int kind = PyUnicode_KIND(url);
    const void *data = PyUnicode_DATA(url);
    Py_ssize_t n = PyUnicode_GET_LENGTH(url), start, end;
    if (kind == PyUnicode_1BYTE_KIND)
        host_bounds(PyUnicode_1BYTE_KIND, data, n, &start, &end);
    else if (kind == PyUnicode_2BYTE_KIND)
        host_bounds(PyUnicode_2BYTE_KIND, data, n, &start, &end);
    else
        host_bounds(PyUnicode_4BYTE_KIND, data, n, &start, &end);
    Py_ssize_t size = end - start;
    if (!PyUnicode_IS_ASCII(url)) {
        for (Py_ssize_t i = start; i < end; i++) {
            if (PyUnicode_READ(kind, data, i) > 127) { /* Unicode lower-casing */
                PyObject *host = PyUnicode_Substring(url, start, end);
                if (host == NULL)
                    return NULL;
                PyObject *lowered = PyObject_CallMethodNoArgs(host, lower_name);
                Py_DECREF(host);
                return lowered;
            }
        }
    }
    PyObject *host = PyUnicode_New(size, 127);
    if (host == NULL)
        return NULL;
    Py_UCS1 *out = PyUnicode_1BYTE_DATA(host);
    for (Py_ssize_t i = 0; i < size; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, start + i);
        out[i] = (Py_UCS1)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return host;
}

static PyObject *
host_of(PyObject *module, PyObject *url)
{
    return host_of_str(url);
}

static PyObject *
hosts_of(PyObject *module, PyObject *urls)
{
    PyObject *seq = PySequence_Fast(urls, "hosts_of() takes a sequence of URLs");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *hosts = PyList_New(n);
    if (hosts == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *host = host_of_str(items[i]);
        if (host == NULL)
            goto fail;
        PyList_SET_ITEM(hosts, i, host);
    }
    Py_DECREF(seq);
    return hosts;
fail:
    Py_XDECREF(hosts);
    Py_DECREF(seq);
    return NULL;
}

/* The indicator for one host (borrowed; Py_None when there is none), NULL on error. */
static PyObject *
match_one(PyObject *host, PyObject *domains, PyObject *parents, PyObject *ips)
{
    if (!PyUnicode_Check(host)) {
        PyErr_Format(PyExc_TypeError, "a host must be str, not %.100s", Py_TYPE(host)->tp_name);
        return NULL;
    }
    PyObject *hit = PyDict_GetItemWithError(domains, host);
    if (hit != NULL || PyErr_Occurred())
        return hit;
    if (READY(host) < 0)
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(host);
    if (n == 0)
        return Py_None;
    int kind = PyUnicode_KIND(host);
    const void *data = PyUnicode_DATA(host);
    if (Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, n - 1))) {
        hit = PyDict_GetItemWithError(ips, host);
        return hit != NULL || PyErr_Occurred() ? hit : Py_None;
    }
    Py_ssize_t last = n - 1; /* a parent holds a dot: none is looked up past the last */
    while (last >= 0 && PyUnicode_READ(kind, data, last) != '.')
        last--;
    for (Py_ssize_t i = 0; i < last; i++) { /* the nearest listed parent domain */
        if (PyUnicode_READ(kind, data, i) != '.')
            continue;
        PyObject *parent = PyUnicode_Substring(host, i + 1, n);
        if (parent == NULL)
            return NULL;
        hit = PyDict_GetItemWithError(parents, parent);
        Py_DECREF(parent);
        if (hit != NULL || PyErr_Occurred())
            return hit;
    }
    return Py_None;
}

static PyObject *
match_hosts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "match_hosts() takes hosts, domains, parents, ips");
        return NULL;
    }
    PyObject *domains = args[1], *parents = args[2], *ips = args[3];
    if (!PyDict_Check(domains) || !PyDict_Check(parents) || !PyDict_Check(ips)) {
        PyErr_SetString(PyExc_TypeError, "match_hosts() takes dicts of indicators");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(args[0], "match_hosts() takes a sequence of hosts");
    if (seq == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *found = PyList_New(n);
    if (found == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *hit = match_one(items[i], domains, parents, ips);
        if (hit == NULL)
            goto fail;
        Py_INCREF(hit);
        PyList_SET_ITEM(found, i, hit);
    }
    Py_DECREF(seq);
    return found;
fail:
    Py_XDECREF(found);
    Py_DECREF(seq);
    return NULL;
}

static PyMethodDef methods[] = {
    {"host_of", host_of, METH_O, "The lower-case host of a URL."},
    {"hosts_of", hosts_of, METH_O, "host_of of every URL."},
    {"match_hosts", (PyCFunction)(void (*)(void))match_hosts, METH_FASTCALL,
     "The domain or IP indicator of every host."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_hosts",
    .m_doc = "Hosts of URLs and their indicator look-ups.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__hosts(void)
{
    lower_name = PyUnicode_InternFromString("lower");
    if (lower_name == NULL)
        return NULL;
    return PyModule_Create(&module);
}
