// The "Xử lý" card: who was given the document, by whom, until when, who passed
// it to whom (chuyển xử lý), and how far the work has gone.
import { Card, Descriptions, Empty, Grid, Tag, Typography } from 'antd';
import type { Assignment, Handover, Person } from '../api';
import { assignmentState, OVERDUE_TEXT } from '../i18n';
import { formatDate, formatInstant, todayInVietnam } from '../format';
import { DESCRIPTION_COLUMNS, Missing } from '../incoming/DocumentView';

function PersonText({ person }: { person: Person }) {
  return (
    <span className="truc-person">
      <Typography.Text>{person.full_name}</Typography.Text>
      {person.department !== '' && (
        <Typography.Text type="secondary">{person.department}</Typography.Text>
      )}
    </span>
  );
}

function People({ people, label }: { people: Person[]; label: string }) {
  if (people.length === 0) return <Missing label="Không có" />;
  return (
    <ul className="truc-people" aria-label={label}>
      {people.map((person) => (
        <li key={person.username}>
          <PersonText person={person} />
        </li>
      ))}
    </ul>
  );
}

/** Text the person typed, with its line breaks kept. */
function Written({ text }: { text: string }) {
  return <span className="truc-written">{text}</span>;
}

/** Quá trình chuyển xử lý: each passing of the main handling, oldest first. */
function Handovers({ handovers }: { handovers: Handover[] }) {
  return (
    <ol className="truc-people" aria-label="Quá trình chuyển xử lý">
      {handovers.map((handover, index) => (
        <li key={index}>
          <span className="truc-person">
            <Typography.Text>
              {formatInstant(handover.at)}:{' '}
              {handover.from !== null ? handover.from.full_name : handover.from_department}
              {' → '}
              {handover.to.full_name}
            </Typography.Text>
            {handover.from === null && (
              <Typography.Text type="secondary">
                Trưởng phòng phân công: {handover.by.full_name}
              </Typography.Text>
            )}
            {handover.note.trim() !== '' && <Written text={handover.note} />}
          </span>
        </li>
      ))}
    </ol>
  );
}

export function isOverdue(assignment: Assignment): boolean {
  return (
    assignment.state !== 'done' &&
    assignment.due_date !== null &&
    assignment.due_date < todayInVietnam()
  );
}

const TITLE_ID = 'truc-processing-title';

// A named region, so that readers and tests find the card by its title.
function ProcessingCard({ children }: { children: React.ReactNode }) {
  return (
    <Card
      title={<span id={TITLE_ID}>Xử lý</span>}
      className="truc-card"
      role="region"
      aria-labelledby={TITLE_ID}
    >
      {children}
    </Card>
  );
}

export default function AssignmentCard({ assignment }: { assignment: Assignment | null }) {
  const screens = Grid.useBreakpoint();
  const layout = screens.md ? 'horizontal' : 'vertical';
  if (assignment === null) {
    return (
      <ProcessingCard>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="Chưa giao xử lý" />
      </ProcessingCard>
    );
  }
  const state = assignmentState(assignment.state);
  return (
    <ProcessingCard>
      <Descriptions column={DESCRIPTION_COLUMNS} layout={layout} bordered size="small">
        <Descriptions.Item label="Trạng thái xử lý">
          <Tag color={state.colour}>{state.label}</Tag>
          {assignment.no_action && (
            <Tag color="default" className="truc-tag-after">
              Không cần xử lý
            </Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="Hạn xử lý">
          {assignment.due_date === null ? (
            <Missing label="Không có hạn" />
          ) : (
            <>
              {formatDate(assignment.due_date)}
              {isOverdue(assignment) && (
                <Tag color="red" className="truc-tag-after">
                  {OVERDUE_TEXT}
                </Tag>
              )}
            </>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="Người giao">
          <PersonText person={assignment.assigned_by} />
        </Descriptions.Item>
        <Descriptions.Item label="Thời điểm giao">
          {formatInstant(assignment.assigned_at)}
        </Descriptions.Item>
        <Descriptions.Item label="Xử lý chính">
          {assignment.main_handler !== null ? (
            <PersonText person={assignment.main_handler} />
          ) : (
            <span className="truc-person">
              <Typography.Text>{assignment.main_department?.name}</Typography.Text>
              <Typography.Text type="secondary">Chờ trưởng phòng phân công</Typography.Text>
            </span>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="Phối hợp">
          <People people={assignment.co_handlers} label="Phối hợp" />
        </Descriptions.Item>
        <Descriptions.Item label="Để biết" span="filled">
          <People people={assignment.readers} label="Để biết" />
        </Descriptions.Item>
        <Descriptions.Item label="Ý kiến chỉ đạo" span="filled">
          {assignment.instructions.trim() === '' ? (
            <Missing label="Không có" />
          ) : (
            <Written text={assignment.instructions} />
          )}
        </Descriptions.Item>
        {assignment.handovers.length > 0 && (
          <Descriptions.Item label="Quá trình chuyển xử lý" span="filled">
            <Handovers handovers={assignment.handovers} />
          </Descriptions.Item>
        )}
        {assignment.started_at !== null && (
          <Descriptions.Item label="Bắt đầu xử lý lúc">
            {formatInstant(assignment.started_at)}
          </Descriptions.Item>
        )}
        {assignment.finished_at !== null && (
          <Descriptions.Item label="Hoàn thành lúc">
            {formatInstant(assignment.finished_at)}
          </Descriptions.Item>
        )}
        {assignment.result !== null && (
          <Descriptions.Item
            label={assignment.no_action ? 'Lý do không cần xử lý' : 'Kết quả xử lý'}
            span="filled"
          >
            <Written text={assignment.result} />
          </Descriptions.Item>
        )}
      </Descriptions>
    </ProcessingCard>
  );
}
