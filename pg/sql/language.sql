-- Findings in the session's language (docs/api.md, "Language"): tally.language
-- 'zh' gives the auditor's Chinese, 'en' (or nothing set) English; the codes,
-- severities and subjects stay as they are.
SET tally.language = 'zh';
SELECT kind, severity, subject, message FROM tally_findings_named('rules/self-eval.tally',
  '{"report": "示例", "table": [{"level1": "预算执行", "indicator": "预算执行率", "target": "100万元", "actual": "100万元", "weight": 10, "reported": 9}, {"level1": "总分", "weight": 100, "reported": 9}]}')
ORDER BY kind;
SET tally.language = 'en';
SELECT kind, message FROM tally_findings_named('rules/self-eval.tally',
  '{"report": "示例", "table": [{"level1": "预算执行", "indicator": "预算执行率", "target": "100万元", "actual": "100万元", "weight": 10, "reported": 9}, {"level1": "总分", "weight": 100, "reported": 9}]}')
ORDER BY kind;
RESET tally.language;
