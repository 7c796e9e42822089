'use strict';
// naudiodon calls registerHandler('crash.log') at load time. Parley reports
// native crashes through Electron's crashReporter instead, so this is a no-op.
module.exports = {
  registerHandler() {},
  causeSegfault() {
    throw new Error('segfault-handler is disabled in Parley');
  },
};
