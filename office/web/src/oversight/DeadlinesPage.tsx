// "Đôn đốc hạn xử lý": the open assignments past their due date (quá hạn) or due within the
// next days (sắp đến hạn), of the whole agency for leaders, of the department for a head.
import { useEffect, useState } from 'react';
import { Alert, Button, Card, Grid, Segmented, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { isSessionLost, listDeadlines, type DeadlineFilter, type DeadlineList } from '../api';
import { DUE_SOON_TEXT, errorText, OVERDUE_TEXT } from '../i18n';
import DeadlineTable from './DeadlineTable';

interface Props {
  filter: DeadlineFilter;
  canOpen: boolean;
  onFilter: (filter: DeadlineFilter) => void;
  onSessionLost: () => void;
}

const TITLE_ID = 'truc-deadlines-title';

const FILTERS: { value: DeadlineFilter; label: string }[] = [
  { value: 'overdue', label: OVERDUE_TEXT },
  { value: 'due_soon', label: DUE_SOON_TEXT },
];

export default function DeadlinesPage({ filter, canOpen, onFilter, onSessionLost }: Props) {
  const narrow = !Grid.useBreakpoint().md;
  const [list, setList] = useState<DeadlineList | null>(null);
  const [error, setError] = useState<{ text: string; code: string } | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let live = true;
    setList(null);
    setError(null);
    listDeadlines(filter)
      .then((answer) => {
        if (live) setList(answer);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (isSessionLost(e)) {
          onSessionLost();
          return;
        }
        setError(errorText(e));
        setList({ items: [], due_soon_days: 0, whole_agency: false });
      });
    return () => {
      live = false;
    };
  }, [filter, reloads, onSessionLost]);

  const scope = list === null ? '' : list.whole_agency ? 'Toàn cơ quan' : 'Phòng ban của tôi';
  return (
    <div className="truc-page truc-page-wide">
      <Typography.Title level={2} className="truc-page-title" id={TITLE_ID}>
        Đôn đốc hạn xử lý
      </Typography.Title>
      <Card className="truc-card">
        <div className="truc-toolbar">
          <Segmented<DeadlineFilter>
            aria-label="Lọc theo hạn xử lý"
            options={FILTERS}
            value={filter}
            onChange={onFilter}
            block={narrow}
          />
          <Button
            icon={<ReloadOutlined aria-hidden="true" />}
            onClick={() => setReloads((n) => n + 1)}
            aria-label="Tải lại"
            title="Tải lại"
          />
        </div>
        {list !== null && error === null && (
          <Typography.Paragraph type="secondary">
            {scope}.{' '}
            {filter === 'due_soon'
              ? `Văn bản đến hạn trong ${list.due_soon_days} ngày tới (tính cả hôm nay).`
              : 'Văn bản chưa hoàn thành đã qua hạn xử lý.'}
          </Typography.Paragraph>
        )}
        {error !== null && (
          <Alert
            type="error"
            showIcon
            message={error.text}
            description={<small>Mã lỗi: {error.code}</small>}
            style={{ marginBottom: 16 }}
          />
        )}
        <DeadlineTable
          items={list?.items ?? null}
          labelledBy={TITLE_ID}
          canOpen={canOpen}
          emptyText={
            filter === 'overdue' ? 'Không có văn bản quá hạn' : 'Không có văn bản sắp đến hạn'
          }
        />
      </Card>
    </div>
  );
}
