// Prints the plain closing line CI tooling reads: "N passed, N failed, N skipped".
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const {
      numPassedTests: passed,
      numFailedTests: failed,
      numPendingTests: skipped,
      numRuntimeErrorTestSuites: broken,
    } = results;
    process.stdout.write(`\nTests: ${passed} passed, ${failed + broken} failed, ${skipped} skipped\n`);
  }
}
