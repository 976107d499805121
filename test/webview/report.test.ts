import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderReportHtml, REPORT_DATA_ID } from '../../src/shared/report/html';
import type { ReportSection } from '../../src/shared/report/sections';
import { fromWire } from '../../src/shared/wire';
import { activationsFixture } from './fixtures';

test('report: one file, data survives embedding even when it contains </script>', () => {
  const a = activationsFixture(3, 2, 2);
  a.text = 'evil </script><script>alert(1)</script> <!-- x';
  const sections: ReportSection[] = [{ kind: 'activations', title: 'A <b>', data: a }];
  const html = renderReportHtml(sections, { script: 'console.log("</script>");\n//# sourceMappingURL=report.js.map\n', title: 'T & <i>' });
  assert.equal((html.match(/<\/script>/g) ?? []).length, 2, 'only the two real script ends');
  assert.ok(html.includes('<title>T &amp; &lt;i&gt;</title>'));
  assert.ok(!html.includes('sourceMappingURL'));
  assert.ok(html.includes('console.log("<\\/script>")'));
  const json = new RegExp(`<script type="application/json" id="${REPORT_DATA_ID}">(.*?)</script>`, 's').exec(html)![1]!;
  const data = JSON.parse(json) as { version: number; sections: never };
  assert.equal(data.version, 1);
  const back = fromWire<ReportSection[]>(data.sections);
  assert.equal(back[0]!.title, 'A <b>');
  const d = back[0]!.data as typeof a;
  assert.equal(d.text, a.text);
  assert.deepEqual([...d.topValue], [...a.topValue]);
});
