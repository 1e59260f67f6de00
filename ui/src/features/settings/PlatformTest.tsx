// 设置 → 平台连接 → 测试连接: one signed query to the platform of the settings (no record is sent)
// and what came back: the verdict in the UI language, then the platform's own answer.

import { Button, Typography } from "antd";
import { useState } from "react";
import { useBackend } from "../../api";
import type { PlatformTest } from "../../api/submissionApi";
import { useLanguage, useT } from "../../i18n";
import { localMessage } from "../../lib/apiError";
import { ResultAlert } from "./ResultAlert";
import { ErrorAlert, useStep } from "../../components/ErrorAlert";
import { formatDateTime } from "../../lib/format";

export function PlatformTestPanel() {
  const t = useT();
  const language = useLanguage();
  const backend = useBackend();
  const { step: running, error, run } = useStep(false);
  const [result, setResult] = useState<PlatformTest | null>(null);

  const test = () =>
    run(true, async () => {
      try {
        setResult(await backend.testPlatform(null));
      } catch (reason) {
        setResult(null);
        throw reason;
      }
    });

  const answer = (r: PlatformTest) => {
    if (r.httpStatus === null) return t.settings.testNoAnswer;
    const head = [`HTTP ${r.httpStatus}`, r.problem].filter(Boolean).join(" ");
    const words = [r.problemTitle, r.problemDetail].filter(Boolean).join("：");
    return words ? `${head} — ${words}` : head;
  };

  return (
    <div className="platform-test" data-testid="settings-platform-test">
      <Typography.Paragraph type="secondary">{t.settings.testIntro}</Typography.Paragraph>
      <Button data-testid="settings-platform-test-run" loading={running} onClick={() => void test()}>
        {t.settings.testConnection}
      </Button>
      <ErrorAlert error={error} testId="settings-platform-test-error" />
      {result && (
        <ResultAlert
          type={result.ok ? "success" : "error"}
          data-testid="settings-platform-test-result"
          data-outcome={result.outcome}
          title={<span data-testid="settings-platform-test-message">{localMessage(result, language)}</span>}
          facts={[
            {
              key: "url",
              label: t.settings.testAddress,
              children: (
                <span className="code-text" data-testid="settings-platform-test-url">
                  {result.url}
                  {result.practice ? t.settings.testPractice : ""}
                </span>
              ),
            },
            { key: "appKey", label: t.summary.appKey, children: <span className="code-text">{result.appKey}</span> },
            {
              key: "answer",
              label: t.settings.testAnswer,
              children: <span data-testid="settings-platform-test-answer">{answer(result)}</span>,
            },
            ...(result.roundTripMs === null
              ? []
              : [
                  {
                    key: "rtt",
                    label: t.settings.testRoundTrip,
                    children: <span data-testid="settings-platform-test-rtt">{`${result.roundTripMs} ms`}</span>,
                  },
                ]),
            ...(result.clockSkewSecs === null
              ? []
              : [
                  {
                    key: "skew",
                    label: t.settings.testClockSkew,
                    children: <span data-testid="settings-platform-test-skew">{t.settings.testSkewValue(result.clockSkewSecs)}</span>,
                  },
                ]),
            {
              key: "credentials",
              label: t.settings.testCredentials,
              children: (
                <span data-testid="settings-platform-test-credentials">
                  {result.credentialsAccepted === null
                    ? t.settings.testUnknown
                    : result.credentialsAccepted
                      ? t.settings.testAccepted
                      : t.settings.testRefused}
                </span>
              ),
            },
            { key: "at", label: t.settings.testedAt, children: <>{formatDateTime(result.testedAt)}</> },
          ]}
        />
      )}
    </div>
  );
}
