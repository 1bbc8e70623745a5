// The layout of one incoming document: reception, details, attachments and the
// statuses sent back. The incoming list's detail page and a task's page share it.
import { useState } from 'react';
import { Button, Card, Descriptions, Empty, Grid, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import {
  DownloadOutlined,
  EyeOutlined,
  ExportOutlined,
  PaperClipOutlined,
} from '@ant-design/icons';
import type { Attachment, IncomingDetail, Signer, StatusSent } from '../api';
import {
  incomingState,
  priorityColour,
  signatureCheck,
  sourceName,
  statusCodeName,
  statusDelivery,
} from '../i18n';
import { formatDate, formatInstant, formatSize } from '../format';

export type AttachmentUrl = (id: number, index: number) => string;

export const DESCRIPTION_COLUMNS = { xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 2 };

export function Missing({ label }: { label: string }) {
  return (
    <Typography.Text type="secondary" aria-label={label}>
      —
    </Typography.Text>
  );
}

export function orMissing(value: string, label = 'Không có'): React.ReactNode {
  return value === '' ? <Missing label={label} /> : value;
}

// Printed as on the document: the authority line ("KT. CHỦ TỊCH"), the position, the name.
function SignerText({ signer }: { signer: Signer }) {
  const lines = [signer.competence, signer.position].filter((s) => s.trim() !== '');
  if (signer.full_name === '' && lines.length === 0) return <Missing label="Không có" />;
  return (
    <span className="truc-signer">
      <Typography.Text strong>{signer.full_name}</Typography.Text>
      {lines.map((line) => (
        <Typography.Text type="secondary" key={line}>
          {line}
        </Typography.Text>
      ))}
    </span>
  );
}

const isPdf = (a: Attachment) =>
  a.content_type.split(';')[0].trim().toLowerCase() === 'application/pdf';

// Phone browsers mostly do not render a PDF inside a page, so there the PDF opens in a new tab.
function Attachments({
  document,
  urlOf,
  narrow,
}: {
  document: IncomingDetail;
  urlOf: AttachmentUrl;
  narrow: boolean;
}) {
  const [preview, setPreview] = useState<Attachment | null>(null);
  const items = document.attachments;
  if (items.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Không có tệp đính kèm" />;
  }
  return (
    <>
      <ul className="truc-lines" aria-label="Tệp đính kèm">
        {items.map((a) => {
          const url = urlOf(document.id, a.index);
          return (
            <li key={a.index} className="truc-line">
              <div className="truc-attachment-name">
                <PaperClipOutlined aria-hidden="true" />
                <span>{a.name}</span>
                <Typography.Text type="secondary">{formatSize(a.size)}</Typography.Text>
              </div>
              <Space wrap size="small">
                {isPdf(a) && !narrow && (
                  <Button
                    size="small"
                    icon={<EyeOutlined aria-hidden="true" />}
                    aria-label={`Xem trước ${a.name}`}
                    aria-pressed={preview?.index === a.index}
                    onClick={() => setPreview(preview?.index === a.index ? null : a)}
                  >
                    Xem trước
                  </Button>
                )}
                {isPdf(a) ? (
                  <Button
                    size="small"
                    icon={<ExportOutlined aria-hidden="true" />}
                    href={url}
                    target="_blank"
                    rel="noopener"
                    aria-label={`Mở ${a.name} trong thẻ mới`}
                  >
                    Mở thẻ mới
                  </Button>
                ) : (
                  <Button
                    size="small"
                    icon={<DownloadOutlined aria-hidden="true" />}
                    href={url}
                    download={a.name}
                    aria-label={`Tải xuống ${a.name}`}
                  >
                    Tải xuống
                  </Button>
                )}
              </Space>
            </li>
          );
        })}
      </ul>
      {preview !== null && !narrow && (
        <iframe
          className="truc-pdf-preview"
          src={urlOf(document.id, preview.index)}
          title={`Xem trước: ${preview.name}`}
        />
      )}
    </>
  );
}

const statusColumns: TableProps<StatusSent>['columns'] = [
  {
    title: 'Trạng thái',
    dataIndex: 'code',
    key: 'code',
    render: (code: string) => `${code} · ${statusCodeName(code)}`,
  },
  {
    title: 'Thời điểm',
    dataIndex: 'at',
    key: 'at',
    render: (at: string) => formatInstant(at),
  },
  {
    title: 'Tình trạng gửi',
    dataIndex: 'state',
    key: 'state',
    render: (state: string) => {
      const { label, colour } = statusDelivery(state);
      return <Tag color={colour}>{label}</Tag>;
    },
  },
];

const NO_STATUSES = (
  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa gửi trạng thái nào" />
);

/** The phone layout of the statuses: one line each, the delivery tag beside it. */
function StatusList({ statuses }: { statuses: StatusSent[] }) {
  if (statuses.length === 0) return NO_STATUSES;
  return (
    <ul className="truc-lines" aria-labelledby="truc-statuses-title">
      {statuses.map((s) => {
        const delivery = statusDelivery(s.state);
        return (
          <li key={`${s.code}-${s.at}`} className="truc-line">
            <span>
              {s.code} · {statusCodeName(s.code)}
              <br />
              <Typography.Text type="secondary">{formatInstant(s.at)}</Typography.Text>
            </span>
            <Tag color={delivery.colour}>{delivery.label}</Tag>
          </li>
        );
      })}
    </ul>
  );
}

function StatusTable(props: React.TableHTMLAttributes<HTMLTableElement>) {
  return <table {...props} aria-labelledby="truc-statuses-title" />;
}

interface ViewProps {
  document: IncomingDetail;
  /** Where the browser fetches an attachment: through the incoming list or through a task. */
  urlOf: AttachmentUrl;
  /** The "Xử lý" card, shown after the reception details. */
  processing?: React.ReactNode;
}

/** One incoming document as its readers see it, whichever way they reached it. */
export default function DocumentView({ document, urlOf, processing }: ViewProps) {
  const screens = Grid.useBreakpoint();
  const narrow = !screens.md;
  // On a phone, labels above values leave the values the full width.
  const layout = narrow ? 'vertical' : 'horizontal';
  const state = incomingState(document.state);
  const signature = signatureCheck(document.signature);
  // A paper document's sender is not on the hub: no status goes back to it.
  const paper = document.source === 'paper';
  return (
    <>
      <Card title="Tiếp nhận" className="truc-card">
        <Descriptions column={DESCRIPTION_COLUMNS} layout={layout} bordered size="small">
          <Descriptions.Item label="Trạng thái">
            <Tag color={state.colour}>{state.label}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="Hình thức">
            <Tag color={paper ? 'blue' : 'cyan'}>{sourceName(document.source)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="Ngày nhận">
            {formatInstant(document.received_at)}
          </Descriptions.Item>
          <Descriptions.Item label="Số đến">
            {document.arrival_number === null ? (
              <Missing label="Chưa có số đến" />
            ) : (
              <Typography.Text strong>{document.arrival_number}</Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="Sổ văn bản">
            {orMissing(document.register_name ?? '', 'Chưa vào sổ')}
          </Descriptions.Item>
          {document.registered_at !== null && (
            <Descriptions.Item label="Thời điểm vào sổ">
              {formatInstant(document.registered_at)}
            </Descriptions.Item>
          )}
          {document.registered_by !== null && (
            <Descriptions.Item label="Người vào sổ">{document.registered_by}</Descriptions.Item>
          )}
          {document.returned_reason !== null && (
            <Descriptions.Item label="Lý do trả lại" span="filled">
              {document.returned_reason}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      {processing}

      <Card title="Thông tin văn bản" className="truc-card">
        <Descriptions column={DESCRIPTION_COLUMNS} layout={layout} bordered size="small">
          <Descriptions.Item label="Cơ quan ban hành">
            {document.sender_name}
            {document.sender_code !== '' && (
              <>
                <br />
                <Typography.Text type="secondary">
                  Mã định danh: {document.sender_code}
                </Typography.Text>
              </>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="Số/Ký hiệu">{orMissing(document.code)}</Descriptions.Item>
          <Descriptions.Item label="Ngày ban hành">
            {orMissing(formatDate(document.promulgation_date))}
          </Descriptions.Item>
          <Descriptions.Item label="Loại văn bản">
            {orMissing(document.document_type)}
          </Descriptions.Item>
          <Descriptions.Item label="Trích yếu" span="filled">
            {document.subject}
          </Descriptions.Item>
          <Descriptions.Item label="Người ký">
            <SignerText signer={document.signer} />
          </Descriptions.Item>
          <Descriptions.Item label="Độ khẩn">
            <Tag color={priorityColour(document.priority)}>{document.priority}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="Hạn xử lý">
            {orMissing(formatDate(document.due_date), 'Không có hạn')}
          </Descriptions.Item>
          <Descriptions.Item label="Chữ ký số">
            <Tag color={signature.colour}>{signature.label}</Tag>
          </Descriptions.Item>
          {document.hub_package_id !== null && (
            <Descriptions.Item label="Mã gói trên trục" span="filled">
              <Typography.Text
                code
                copyable={{ tooltips: ['Sao chép', 'Đã sao chép'] }}
                className="truc-break"
              >
                {document.hub_package_id}
              </Typography.Text>
            </Descriptions.Item>
          )}
          {document.arrived_by !== null && (
            <Descriptions.Item label="Nhận từ trục">
              {document.arrived_by === 'push' ? 'Trục chuyển đến' : 'Phần mềm lấy về từ trục'}
            </Descriptions.Item>
          )}
          {document.trace.length > 0 && (
            <Descriptions.Item label="Hành trình gói tin" span="filled">
              <ol className="truc-trace" aria-label="Hành trình gói tin">
                {document.trace.map((hop, index) => (
                  <li key={index}>
                    <Typography.Text code>{hop.organ_id}</Typography.Text>
                    {hop.at !== null && ` lúc ${hop.at}`}
                  </li>
                ))}
              </ol>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      <Card title="Tệp đính kèm" className="truc-card">
        <Attachments document={document} urlOf={urlOf} narrow={narrow} />
      </Card>

      {!paper && (
        <Card title={<span id="truc-statuses-title">Trạng thái đã gửi</span>} className="truc-card">
          {narrow ? (
            <StatusList statuses={document.statuses_sent} />
          ) : (
            <Table<StatusSent>
              rowKey={(s) => `${s.code}-${s.at}`}
              columns={statusColumns}
              dataSource={document.statuses_sent}
              pagination={false}
              size="small"
              components={{ table: StatusTable }}
              locale={{ emptyText: NO_STATUSES }}
            />
          )}
        </Card>
      )}
    </>
  );
}
