// Placeholder: the browser verifier is built from web/verifier/ (its own
// branch). Until that build replaces this file, every bundle is answered with
// exit status 2 and one line saying so: the page never claims a check passed.
export async function verify(bundleBytes, options) {
  void bundleBytes;
  void options;
  return {
    exit: 2,
    lines: [
      {
        check: "verifier",
        ok: false,
        zh: "浏览器校验程序尚未构建（verifier not built）",
        en: "verifier not built",
      },
    ],
  };
}
