import { Typography } from "antd";
import type { ReactNode } from "react";

/** The title row of a screen. */
export function PageHeader({ title, extra }: { title: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-header">
      <Typography.Title level={4} className="page-title">
        {title}
      </Typography.Title>
      {extra ? <div className="page-header-extra">{extra}</div> : null}
    </div>
  );
}
