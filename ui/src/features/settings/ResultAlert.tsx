// The outcome of something a settings card ran (a backup, an integrity check, a connection test):
// an alert with its icon, and the facts of the outcome under it as a one-column list, followed
// by anything more the card shows.

import { Alert, Descriptions, type AlertProps, type DescriptionsProps } from "antd";
import type { ReactNode } from "react";

interface Props extends Omit<AlertProps, "showIcon" | "className" | "description" | "children"> {
  facts: DescriptionsProps["items"];
  children?: ReactNode;
}

export function ResultAlert({ facts, children, ...alert }: Props) {
  return (
    <Alert
      showIcon
      className="result-alert"
      {...alert}
      description={
        <>
          <Descriptions size="small" column={1} items={facts} />
          {children}
        </>
      }
    />
  );
}
